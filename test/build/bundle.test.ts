/**
 * The browser bundle as `vite.config.ts` builds it now (into a temp dir):
 * self-contained, defines the elements, and carries no server code and no
 * credentials; each language file registers its whole table as a list of
 * texts, stays within its ceiling, and maps back to its locale module. `npm
 * run size` prints the same gzip figures for the built `dist/`.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { before, describe, test } from 'node:test';
import { Script } from 'node:vm';
import { gzipSync } from 'node:zlib';
import { EMULATOR_DEFAULTS } from '../../src/emulator/index.js';
import { BUNDLE_FILES, buildBrowserBundle, type BundleTexts } from '../browser/support/build-bundle.js';
import { DROP_IN_GZIP_BUDGET, LANGUAGE_FILE_GZIP_CEILING } from '../../scripts/budget.js';
import { DROP_IN_LOCALES, loadLocale, TEXT_KEYS, textList } from '../../scripts/drop-in-locales.js';
import { getStrings, registerLanguage } from '../../src/elements/strings.js';

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

  test('a language file for every table but English: a classic script that registers the whole table on the global, as a list of its texts, and nothing else', async () => {
    assert.ok(DROP_IN_LOCALES.length >= 11, `only ${DROP_IN_LOCALES.join(', ')}`);
    assert.ok(!DROP_IN_LOCALES.includes('en'));
    for (const lang of DROP_IN_LOCALES) {
      const file = `sendauth-elements.${lang}.js` as const;
      const table = await loadLocale(lang);
      // A byte order mark first: a browser then reads the file as UTF-8 on any page, whatever its encoding.
      assert.ok(text(file).startsWith('\uFEFFSendAuthElements.registerLanguage('), `${file} does not start with a byte order mark and the call`);
      const registered: Array<[string, unknown]> = [];
      const SendAuthElements = { registerLanguage: (tag: string, texts: unknown) => registered.push([tag, JSON.parse(JSON.stringify(texts))]) };
      assert.doesNotThrow(() => new Script(text(file), { filename: file }).runInNewContext({ SendAuthElements }), `${file} is not a classic script`);
      assert.deepEqual(registered, [[lang, textList(table, lang)]], `${file} registers something else`);
      // No key in the file, but every text; and the real registerLanguage makes the whole table of them again.
      assert.equal((registered[0]![1] as string[]).length, TEXT_KEYS.length);
      assert.ok(!text(file).includes('usernameLabel') && !text(file).includes('not-supported'), `${file} carries key names`);
      new Script(text(file)).runInNewContext({ SendAuthElements: { registerLanguage } });
      assert.deepEqual(getStrings(lang), table, `${file} read by registerLanguage is not the table`);
      // Before the main file there is no global: the file stops at once, saying which.
      assert.throws(() => new Script(text(file)).runInNewContext({}), /SendAuthElements is not defined/);
    }
  });

  test(`every language file is at most ${LANGUAGE_FILE_GZIP_CEILING} bytes gzip -9 (1.3 KB: a language costs about 1 KB)`, () => {
    const sizes = Object.fromEntries(DROP_IN_LOCALES.map((lang) => [lang, gzipSync(text(`sendauth-elements.${lang}.js`), { level: 9 }).length]));
    const over = Object.entries(sizes).filter(([, gzip]) => gzip > LANGUAGE_FILE_GZIP_CEILING);
    assert.deepEqual(over, [], `over ${LANGUAGE_FILE_GZIP_CEILING} bytes gzip -9: ${JSON.stringify(sizes)}`);
  });

  test('each language file’s source map leads every text of the list to where its locale module writes its key', async () => {
    for (const lang of DROP_IN_LOCALES) {
      const file = `sendauth-elements.${lang}.js` as const;
      const map = JSON.parse(files.maps[file] ?? '{}') as { sources: string[]; sourcesContent: string[]; mappings: string };
      assert.deepEqual(map.sources, [`../src/elements/locales/${lang}.ts`]);
      const source = map.sourcesContent[0]!;
      assert.equal(source, await readFile(new URL(`../../src/elements/locales/${lang}.ts`, import.meta.url), 'utf8'));
      // As a browser reads the file: the byte order mark dropped, then one line.
      const code = text(file).replace(/^\uFEFF/, '');
      assert.ok(!code.includes('\n'));
      const segments = decodeMappings(map.mappings);
      assert.equal(segments.length, 1, 'one generated line');
      const at = (column: number): [number, number] | undefined => segments[0]!.find(([generated]) => generated === column)?.slice(1) as [number, number] | undefined;
      const sourceAt = ([line, column]: [number, number]): string => source.split('\n')[line]!.slice(column);
      // The list itself: the table's `export const`.
      const listColumn = code.indexOf('[');
      assert.match(sourceAt(at(listColumn) ?? [0, 0]), new RegExp(`^export const \\w+: SendAuthStrings = \\{`));
      // Each text: found where the list has it, and mapped to its key in the module.
      const texts = textList(await loadLocale(lang), lang);
      let column = listColumn + 1;
      for (const [i, value] of texts.entries()) {
        const written = JSON.stringify(value);
        assert.equal(code.slice(column, column + written.length), written, `${lang}: text ${i} is not where the list has it`);
        const key = TEXT_KEYS[i]!.at(-1)!;
        const mapped = at(column);
        assert.ok(mapped, `${lang}: text ${i} (${TEXT_KEYS[i]!.join('.')}) is not mapped`);
        assert.ok(new RegExp(`^['"]?${key}['"]?\\s*:`).test(sourceAt(mapped)), `${lang}: text ${i} maps to ${JSON.stringify(sourceAt(mapped).slice(0, 40))}, not to ${key}`);
        column += written.length + 1;
      }
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

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/**
 * Source map mappings (https://tc39.es/ecma426/) decoded: per generated line, its segments as
 * [generated column, source line, source column] (the source index is always 0 here).
 */
function decodeMappings(mappings: string): Array<Array<[number, number, number]>> {
  let line = 0;
  let column = 0;
  return mappings.split(';').map((text) => {
    let generated = 0;
    return text
      .split(',')
      .filter(Boolean)
      .map((segment) => {
        const values: number[] = [];
        let value = 0;
        let shift = 0;
        for (const char of segment) {
          const digit = BASE64.indexOf(char);
          value += (digit & 31) << shift;
          if (digit & 32) shift += 5;
          else {
            values.push(value & 1 ? -(value >> 1) : value >> 1);
            value = 0;
            shift = 0;
          }
        }
        generated += values[0]!;
        line += values[2]!;
        column += values[3]!;
        return [generated, line, column] as [number, number, number];
      });
  });
}
