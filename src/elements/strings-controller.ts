import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { getStrings, onStringsChange, type SendAuthStrings } from './strings.js';

/**
 * Gives an element the strings for its language and re-renders it when a site
 * changes a table (`setStrings`, `registerLanguage`).
 */
export class StringsController implements ReactiveController {
  private readonly host: ReactiveControllerHost & HTMLElement;
  private stopListening: (() => void) | undefined;

  constructor(host: ReactiveControllerHost & HTMLElement) {
    this.host = host;
    host.addController(this);
  }

  hostConnected(): void {
    this.stopListening = onStringsChange(() => this.host.requestUpdate());
  }

  hostDisconnected(): void {
    this.stopListening?.();
    this.stopListening = undefined;
  }

  /** As HTML does it: the element's own `lang`, else the nearest ancestor's, else English. */
  get lang(): string {
    return this.host.lang || this.host.closest('[lang]')?.getAttribute('lang') || 'en';
  }

  get strings(): SendAuthStrings {
    return getStrings(this.lang);
  }
}
