/**
 * Server-side rendering safety: importing the browser entry in Node (no DOM)
 * must not throw and must not touch a DOM.
 *
 * Note: in Node, Lit's own "node" build installs the `customElements` registry
 * of `@lit-labs/ssr-dom-shim` on `globalThis` (so `@lit-labs/ssr` can render
 * elements); defining into that shim is expected. Any other registry would
 * mean our code installed one.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';

type Global = { window?: unknown; document?: unknown; customElements?: unknown };

test('importing the browser entry in Node does not throw and touches no DOM', async () => {
  const global = globalThis as Global;
  assert.equal(global.window, undefined, 'this test needs a plain Node global scope');
  await import('lit'); // installs Lit's SSR registry, if any, before our code runs
  const litRegistry = global.customElements;

  const entry = await import('../../src/index.js');

  assert.equal(typeof entry.SendAuthLogin, 'function');
  assert.equal(typeof entry.SendAuthRegister, 'function');
  assert.equal(typeof entry.ProxyClient, 'function');
  assert.equal(global.window, undefined, 'the import created a window');
  assert.equal(global.document, undefined, 'the import created a document');
  assert.equal(global.customElements, litRegistry, 'the import installed a customElements registry of its own');
});

test('the ceremony layer answers `not-supported` in Node instead of throwing', async () => {
  const { checkCeremonySupport } = await import('../../src/ceremony/index.js');
  assert.equal(checkCeremonySupport(), 'not-supported');
});
