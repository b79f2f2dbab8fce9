/**
 * The browser bundle as `vite.config.ts` builds it now (into a temp dir):
 * self-contained, defines the elements, and carries no server code and no
 * credentials. `npm run size` checks the gzip budget of the built `dist/`.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { Script } from 'node:vm';
import { gzipSync } from 'node:zlib';
import { EMULATOR_DEFAULTS } from '../../src/emulator/index.js';
import { BUNDLE_FILES, buildBrowserBundle, type BundleFile } from '../browser/support/build-bundle.js';
import { DROP_IN_GZIP_BUDGET } from '../../scripts/budget.js';

/** What only server code contains: modules, names of server APIs, HTTP basic auth. */
const SERVER_MARKERS = [
  'node:',
  'hono',
  '@simplewebauthn/server',
  'SendAuthClient',
  'createSendAuthProxy',
  'toNodeListener',
  'startEmulator',
  'Authorization',
  'Basic ',
  'process.env',
  'require(',
];

/** Credentials or what leads to them: the emulator's default account, any basic-auth token. */
const CREDENTIAL_MARKERS = [EMULATOR_DEFAULTS.password, `${EMULATOR_DEFAULTS.username}:`, 'password', 'SENDAUTH_PASSWORD'];

describe('browser bundle', () => {
  let files: Record<BundleFile, string>;
  before(async () => {
    files = await buildBrowserBundle();
  });

  for (const file of BUNDLE_FILES) {
    test(`${file} contains no server code`, () => {
      assert.deepEqual(SERVER_MARKERS.filter((marker) => files[file].includes(marker)), [], `${file} contains server code`);
    });

    test(`${file} contains no credentials`, () => {
      const text = files[file].toLowerCase();
      assert.deepEqual(CREDENTIAL_MARKERS.filter((marker) => text.includes(marker.toLowerCase())), [], `${file} contains credentials`);
      assert.ok(!/Basic\s+[A-Za-z0-9+/]{8,}={0,2}/.test(files[file]), `${file} contains a basic-auth token`);
    });

    test(`${file} imports nothing`, () => {
      // Static `import … from "x"` / `import "x"` and dynamic `import("x")`, as minified output writes them.
      const imports = files[file].match(/\bimport\s*(?:\(|["'`{*]|\w+\s*(?:,|from))|\bfrom\s*["'`]/g) ?? [];
      assert.deepEqual(imports, [], `${file} imports modules`);
    });
  }

  test('both main files name every element; a language file registers its table on the global', () => {
    for (const file of ['sendauth-elements.js', 'sendauth-elements.iife.js'] as const) {
      for (const tag of ['sendauth-login', 'sendauth-register', 'sendauth-approve']) assert.ok(files[file].includes(tag), `${file}: ${tag}`);
    }
    for (const lang of ['de', 'fr'] as const) {
      const text = files[`sendauth-elements.${lang}.js`];
      assert.doesNotThrow(() => new Script(text), `sendauth-elements.${lang}.js is not a classic script`);
      assert.match(text, new RegExp(`registerLanguage\\("${lang}",`));
      assert.match(text, /globalThis\.SendAuthElements/);
    }
  });

  test(`the drop-in file is within its budget of ${DROP_IN_GZIP_BUDGET} bytes gzip -9`, () => {
    const gzip = gzipSync(files['sendauth-elements.iife.js'], { level: 9 }).length;
    assert.ok(gzip <= DROP_IN_GZIP_BUDGET, `sendauth-elements.iife.js is ${gzip} bytes gzip -9`);
  });

  test('the IIFE is one classic script that declares one global', () => {
    const iife = files['sendauth-elements.iife.js'];
    // Compiles as a classic script (not a module): `<script src>` without type="module".
    assert.doesNotThrow(() => new Script(iife, { filename: 'sendauth-elements.iife.js' }));
    // After the licence notice (a /*! … */ comment) that the build puts first.
    assert.ok(iife.replace(/^\/\*![^]*?\*\/\n/, '').startsWith('var SendAuthElements='), 'the IIFE does not start by declaring SendAuthElements');
  });

  test('the ES module is minified like the IIFE', () => {
    // Vite leaves ES library output unminified unless told; within a few % of the IIFE means it was.
    const ratio = files['sendauth-elements.js'].length / files['sendauth-elements.iife.js'].length;
    assert.ok(ratio < 1.05, `sendauth-elements.js is ${ratio.toFixed(2)}× the IIFE: not minified`);
  });
});
