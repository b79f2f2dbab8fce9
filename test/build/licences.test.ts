/**
 * What the self-contained browser files bundle travels with its licence: the
 * banner names each bundled package, and `THIRD-PARTY-LICENSES.md` (shipped
 * in the package) holds each one's licence text as installed.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { before, test } from 'node:test';
import { DROP_IN_BANNER } from '../../scripts/drop-in-banner.js';
import { buildBrowserBundle, type BundleTexts } from '../browser/support/build-bundle.js';

const root = new URL('../../', import.meta.url);
const read = (path: string): Promise<string> => readFile(new URL(path, root), 'utf8');
const squash = (text: string): string => text.replace(/\s+/g, ' ').trim();

/** The packages whose code the self-contained files carry, and where their licence text is. */
const BUNDLED = {
  lit: 'node_modules/lit/LICENSE',
  'lit-html': 'node_modules/lit-html/LICENSE',
  'lit-element': 'node_modules/lit-element/LICENSE',
  '@lit/reactive-element': 'node_modules/@lit/reactive-element/LICENSE',
  '@simplewebauthn/browser': 'node_modules/@simplewebauthn/browser/LICENSE.md',
};

let files: BundleTexts;
before(async () => {
  files = await buildBrowserBundle();
});

test('both self-contained files start with the notice naming what they bundle', () => {
  for (const file of ['sendauth-elements.js', 'sendauth-elements.iife.js'] as const) {
    assert.ok(files[file].startsWith(`${DROP_IN_BANNER}\n`), file);
  }
  assert.match(DROP_IN_BANNER, /lit \(BSD-3-Clause/);
  assert.match(DROP_IN_BANNER, /@simplewebauthn\/browser \(MIT/);
});

test('THIRD-PARTY-LICENSES.md holds every bundled package’s licence text, and the package ships it', async () => {
  const notices = squash(await read('THIRD-PARTY-LICENSES.md'));
  for (const [name, path] of Object.entries(BUNDLED)) {
    assert.ok(notices.includes(squash(await read(path))), `${name}: its LICENSE text`);
    assert.ok(notices.includes(name), name);
  }
  const { files: shipped } = JSON.parse(await read('package.json')) as { files: string[] };
  assert.ok(shipped.includes('THIRD-PARTY-LICENSES.md'));
});
