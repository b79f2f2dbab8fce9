import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { getStrings, onStringsChange, type SendAuthStrings } from './strings.js';

/**
 * Gives an element the strings for its language and re-renders it when a site
 * changes a table (`setStrings`, `registerLanguage`) or a `lang` attribute in
 * the document.
 */
export class StringsController implements ReactiveController {
  private readonly host: ReactiveControllerHost & HTMLElement;
  private stopListening: (() => void) | undefined;
  private langObserver: MutationObserver | undefined;

  constructor(host: ReactiveControllerHost & HTMLElement) {
    this.host = host;
    host.addController(this);
  }

  hostConnected(): void {
    this.stopListening = onStringsChange(() => this.host.requestUpdate());
    // Any `lang` in the document may be the one this element follows. Shadow trees are not
    // observed: a `lang` set on a host is seen, one inside a shadow root is read on the next render.
    this.langObserver = new MutationObserver(() => this.host.requestUpdate());
    this.langObserver.observe(document.documentElement, { attributeFilter: ['lang'], subtree: true });
  }

  hostDisconnected(): void {
    this.stopListening?.();
    this.stopListening = undefined;
    this.langObserver?.disconnect();
    this.langObserver = undefined;
  }

  /** As HTML does it: the element's own `lang`, else the nearest ancestor's (across shadow roots), else English. */
  get lang(): string {
    if (this.host.lang) return this.host.lang;
    for (let node: Element | undefined = this.host; node; node = (node.getRootNode() as Partial<ShadowRoot>).host) {
      const withLang = node.closest('[lang]');
      if (withLang) return withLang.getAttribute('lang') || 'en';
    }
    return 'en';
  }

  get strings(): SendAuthStrings {
    return getStrings(this.lang);
  }
}
