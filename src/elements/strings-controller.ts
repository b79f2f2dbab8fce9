import { isServer, type ReactiveController, type ReactiveControllerHost } from 'lit';
import { getStrings, languageAndScript, onStringsChange, resolveLanguage, type SendAuthStrings } from './strings.js';

/**
 * Gives an element the strings for its language and re-renders it when a site
 * changes a table (`setStrings`, `registerLanguage`) or a `lang` attribute in
 * the document. `textLang` and `dir` say what the text shown really is: on a
 * page in a language with no table registered the text is English, marked
 * `lang="en"` and laid out left to right; a registered right-to-left language
 * (Arabic) lays out right to left.
 */
export class StringsController implements ReactiveController {
  readonly #host: ReactiveControllerHost & HTMLElement;
  #stopListening: (() => void) | undefined;
  #langObserver: MutationObserver | undefined;

  constructor(host: ReactiveControllerHost & HTMLElement) {
    this.#host = host;
    host.addController(this);
  }

  hostConnected(): void {
    this.#stopListening = onStringsChange(() => this.#host.requestUpdate());
    // Any `lang` in the document may be the one this element follows. Shadow trees are not
    // observed: a `lang` set on a host is seen, one inside a shadow root is read on the next render.
    this.#langObserver = new MutationObserver(() => this.#host.requestUpdate());
    this.#langObserver.observe(document.documentElement, { attributeFilter: ['lang'], subtree: true });
  }

  hostDisconnected(): void {
    this.#stopListening?.();
    this.#langObserver?.disconnect();
  }

  /**
   * As HTML does it: the element's own `lang`, else the nearest ancestor's (across shadow roots),
   * else English. Server rendering has no document to look in: there only the element's own counts.
   */
  get lang(): string {
    if (this.#host.lang || isServer) return this.#host.lang || 'en';
    for (let node: Element | undefined = this.#host; node; node = (node.getRootNode() as Partial<ShadowRoot>).host) {
      const withLang = node.closest('[lang]');
      if (withLang) return withLang.getAttribute('lang') || 'en';
    }
    return 'en';
  }

  /** The language of the table shown (`resolveLanguage`): `lang`'s, a related one's, or `en`. */
  get textLang(): string {
    return resolveLanguage(this.lang);
  }

  /**
   * The direction of the text shown: that of the table's language, not the page's. Right to left
   * when the script the language is written in (its tag's, or the one CLDR's likely subtags give:
   * `ar`, `fa`, `ur` → Arab, `he`, `yi` → Hebr, `dv` → Thaa; `ku` → Latn but `ku-Arab` → Arab) is:
   * Arabic, Hebrew, Thaana, Syriac, N'Ko, Adlam or Hanifi Rohingya (ISO 15924), the data
   * `Intl.Locale#getTextInfo()` reads, which not every engine has yet (Firefox).
   */
  get dir(): 'ltr' | 'rtl' {
    return /Arab|Hebr|Thaa|Syrc|Nkoo|Adlm|Rohg/.test(languageAndScript(this.textLang)) ? 'rtl' : 'ltr';
  }

  get strings(): SendAuthStrings {
    return getStrings(this.lang);
  }
}
