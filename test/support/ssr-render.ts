/**
 * Server rendering as a site does it: `@lit-labs/ssr` in Node, the package's
 * browser entry imported for its element definitions (in Node they go to
 * Lit's server-side registry), German and French registered. Used by the SSR
 * test and, through a server command, by the browser test that hydrates the
 * result.
 */
import { render } from '@lit-labs/ssr';
import { collectResult } from '@lit-labs/ssr/lib/render-result.js';
import { html } from 'lit';

/** Renders `markup` (one or more of the elements, as a page would hold them) to HTML with declarative shadow DOM. */
export async function renderElements(markup: string): Promise<string> {
  const { registerLanguage } = await import('../../src/index.js');
  const { de } = await import('../../src/elements/locales/de.js');
  const { fr } = await import('../../src/elements/locales/fr.js');
  registerLanguage('de', de);
  registerLanguage('fr', fr);
  // The markup as a template, so the renderer sees (and renders) the custom elements in it.
  const strings = Object.assign([markup], { raw: [markup] }) as unknown as TemplateStringsArray;
  return collectResult(render(html(strings)));
}
