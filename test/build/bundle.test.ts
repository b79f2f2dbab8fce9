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
import { BUNDLE_FILES, buildBrowserBundle, type BundleTexts } from '../browser/support/build-bundle.js';
import { DROP_IN_GZIP_BUDGET } from '../../scripts/budget.js';
import { DROP_IN_LOCALES, loadLocale } from '../../scripts/drop-in-locales.js';

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
  let files: BundleTexts;
  const text = (file: (typeof BUNDLE_FILES)[number]): string => {
    const built = files[file];
    assert.ok(built !== undefined, `${file} was not built`);
    return built;
  };
  before(async () => {
    files = await buildBrowserBundle();
  });

  for (const file of BUNDLE_FILES) {
    test(`${file} contains no server code`, () => {
      assert.deepEqual(SERVER_MARKERS.filter((marker) => text(file).includes(marker)), [], `${file} contains server code`);
    });

    test(`${file} contains no credentials`, () => {
      const lower = text(file).toLowerCase();
      assert.deepEqual(CREDENTIAL_MARKERS.filter((marker) => lower.includes(marker.toLowerCase())), [], `${file} contains credentials`);
      assert.ok(!/Basic\s+[A-Za-z0-9+/]{8,}={0,2}/.test(text(file)), `${file} contains a basic-auth token`);
    });

    test(`${file} imports nothing`, () => {
      // Static `import … from "x"` / `import "x"` and dynamic `import("x")`, as minified output writes them.
      const imports = text(file).match(/\bimport\s*(?:\(|["'`{*]|\w+\s*(?:,|from))|\bfrom\s*["'`]/g) ?? [];
      assert.deepEqual(imports, [], `${file} imports modules`);
    });
  }

  test('both main files name every element', () => {
    for (const file of ['sendauth-elements.js', 'sendauth-elements.iife.js'] as const) {
      for (const tag of ['sendauth-login', 'sendauth-register', 'sendauth-approve']) assert.ok(files[file].includes(tag), `${file}: ${tag}`);
    }
  });

  test('a language file for every table but English: a classic script that registers the whole table on the global, and nothing else', async () => {
    assert.ok(DROP_IN_LOCALES.length >= 11, `only ${DROP_IN_LOCALES.join(', ')}`);
    assert.ok(!DROP_IN_LOCALES.includes('en'));
    for (const lang of DROP_IN_LOCALES) {
      const file = `sendauth-elements.${lang}.js` as const;
      // A byte order mark first: a browser then reads the file as UTF-8 on any page, whatever its encoding.
      assert.ok(text(file).startsWith('\uFEFF/*'), `${file} does not start with a byte order mark`);
      const registered: Array<[string, unknown]> = [];
      const SendAuthElements = { registerLanguage: (tag: string, table: unknown) => registered.push([tag, JSON.parse(JSON.stringify(table))]) };
      assert.doesNotThrow(() => new Script(text(file), { filename: file }).runInNewContext({ SendAuthElements }), `${file} is not a classic script`);
      assert.deepEqual(registered, [[lang, await loadLocale(lang)]], `${file} registers something else`);
      assert.throws(() => new Script(text(file)).runInNewContext({}), /load sendauth-elements\.iife\.js first/);
    }
  });

  test(`the drop-in file is within its budget of ${DROP_IN_GZIP_BUDGET} bytes gzip -9`, () => {
    const gzip = gzipSync(text('sendauth-elements.iife.js'), { level: 9 }).length;
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
