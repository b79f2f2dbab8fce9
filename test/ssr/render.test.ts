/**
 * Server rendering that renders: each element renders to declarative shadow
 * DOM under `@lit-labs/ssr` in Node, with and without its own `lang` (without
 * one it used to throw `node.closest is not a function`), in English and in a
 * registered language, with its styles and its form marked with the text's
 * language. The browser half (the rendered page hydrates and signs in) is
 * test/browser/elements/ssr-hydrate.test.ts, which renders with `renderElements`.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderElements } from '../support/ssr-render.js';

const cases = [
  { markup: '<sendauth-login></sendauth-login>', text: 'Sign in with a passkey', lang: 'en', fields: 1 },
  { markup: '<sendauth-login lang="de"></sendauth-login>', text: 'Mit Passkey anmelden', lang: 'de', fields: 1 },
  { markup: '<sendauth-login user-id="3f0e6d4b-8a7e-4f0a-9b7e-2f4c1d2e3a4b"></sendauth-login>', text: 'Sign in with a passkey', lang: 'en', fields: 0 },
  { markup: '<sendauth-register></sendauth-register>', text: 'Create a passkey', lang: 'en', fields: 0 },
  { markup: '<sendauth-register signup></sendauth-register>', text: 'Sign up with a passkey', lang: 'en', fields: 3 },
  { markup: '<sendauth-register signup lang="fr"></sendauth-register>', text: 'S’inscrire avec une clé d’accès', lang: 'fr', fields: 3 },
] as const;

for (const { markup, text, lang, fields } of cases) {
  test(`${markup} renders to declarative shadow DOM in Node`, async () => {
    const rendered = await renderElements(markup);
    const tag = /^<([a-z-]+)/.exec(markup)?.[1] ?? '';
    assert.match(rendered, new RegExp(`<${tag}[^>]*><template shadowroot="open" shadowrootmode="open">`));
    assert.match(rendered, /<style>[^]*--sendauth-color-accent[^]*<\/style>/, 'its styles come with it');
    assert.match(rendered, new RegExp(`<form part="form"[^>]*lang="${lang}"[^>]*dir="ltr"`));
    assert.ok(rendered.includes(text), `the button says "${text}"`);
    assert.equal(rendered.match(/<input\b/g)?.length ?? 0, fields);
  });
}

test('rendering in Node needs no DOM and leaves none behind', async () => {
  await renderElements('<sendauth-login></sendauth-login>');
  const global = globalThis as { document?: unknown; window?: unknown };
  assert.equal(global.window, undefined);
  assert.equal(global.document, undefined);
});
