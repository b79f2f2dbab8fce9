/**
 * The drop-in files for the languages that are not built in: one
 * `dist/sendauth-elements.<lang>.js` for every table in `src/elements/locales/`
 * but English (so adding a language is adding its file there), each with its
 * source map beside it (not named in the file, like the drop-in's own: see
 * `vite.config.ts`). Each registers its texts with the drop-in file's global
 * (`SendAuthElements.registerLanguage`), so a page without a bundler adds
 * German with one more `<script src>` after the main one. A file carries the
 * texts only, as the list `registerLanguage` takes (in English's key order,
 * `TEXT_KEYS`), not the keys: that keeps each file about 1 KB gzip. Used by
 * `vite.config.ts`, `npm run size` and the bundle tests.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseSync, transformWithOxc, type ESTree, type Plugin } from 'vite';
import { mapTexts, type SendAuthStrings } from '../src/elements/strings.js';

const LOCALES_FOLDER = fileURLToPath(new URL('../src/elements/locales/', import.meta.url));

/**
 * The languages with a drop-in file, as their file names say them: lower-case BCP 47 tags
 * (`de`, `pt-br`, `zh-hans`), sorted. English is in the drop-in file itself.
 */
export const DROP_IN_LOCALES: readonly string[] = readdirSync(LOCALES_FOLDER)
  .filter((file) => file.endsWith('.ts') && file !== 'en.ts')
  .map((file) => file.slice(0, -'.ts'.length))
  .sort();

/** Where the table of `lang` is written: `src/elements/locales/<lang>.ts`. */
const localeSource = (lang: string): string => `${LOCALES_FOLDER}${lang}.ts`;

/**
 * The key of each text of a text list, in its order (`['usernameLabel']`, …, `['errors', 'not-supported']`, …),
 * as `registerLanguage` reads a list: found by `mapTexts` itself, which writes each text's place into it.
 */
export const TEXT_KEYS: ReadonlyArray<readonly string[]> = (() => {
  let count = 0;
  const places = mapTexts(() => String(count++));
  const keys: string[][] = [];
  const walk = (table: object, path: string[]): void => {
    for (const [key, value] of Object.entries(table)) {
      if (typeof value == 'string') keys[Number(value)] = [...path, key];
      else walk(value as object, [...path, key]);
    }
  };
  walk(places, []);
  return keys;
})();

/**
 * `table`'s texts as the list `registerLanguage` takes (see `TEXT_KEYS`).
 *
 * @throws {Error} when the table has no text for a key of English's table.
 */
export function textList(table: SendAuthStrings, lang: string): string[] {
  return TEXT_KEYS.map((path) => {
    const text = path.reduce<unknown>((inner, key) => (inner as Record<string, unknown> | undefined)?.[key], table);
    if (typeof text != 'string') throw new Error(`src/elements/locales/${lang}.ts has no text for ${path.join('.')}`);
    return text;
  });
}

/**
 * The table a locale module exports (its one export), loaded as Node would: compiled from
 * TypeScript with Vite's own compiler and imported from a `data:` URL. The config file that
 * names this plugin is bundled by Vite, which cannot follow an import whose path is computed.
 */
export async function loadLocale(lang: string): Promise<SendAuthStrings> {
  const file = localeSource(lang);
  const { code } = await transformWithOxc(readFileSync(file, 'utf8'), file, { lang: 'ts' });
  const module = (await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`)) as Record<string, unknown>;
  const exported = Object.values(module);
  if (exported.length !== 1 || typeof exported[0] !== 'object' || exported[0] === null) {
    throw new Error(`src/elements/locales/${lang}.ts must export exactly one table (it exports ${Object.keys(module).join(', ') || 'nothing'})`);
  }
  return exported[0] as SendAuthStrings;
}

/** Emits `sendauth-elements.<lang>.js` and its `.map` next to the IIFE, for each language of `DROP_IN_LOCALES`. */
export function dropInLocales(): Plugin {
  let tables: Array<[string, SendAuthStrings]> = [];
  return {
    name: 'sendauth-drop-in-locales',
    async buildStart() {
      tables = await Promise.all(DROP_IN_LOCALES.map(async (lang) => [lang, await loadLocale(lang)] as [string, SendAuthStrings]));
    },
    generateBundle(output) {
      if (output.format !== 'iife') return;
      for (const [lang, strings] of tables) {
        const fileName = `sendauth-elements.${lang}.js`;
        // UTF-8 with a byte order mark, which browsers obey before any charset (WHATWG Encoding, "decode"):
        // a page in Shift_JIS or windows-1252, served without a charset, still reads the text right. Nothing
        // else but the call: loaded before the main file, it stops at a ReferenceError "SendAuthElements is
        // not defined" (as the README says), and every byte of a wrapper would be in each file's gzip size.
        const call = `SendAuthElements.registerLanguage(${JSON.stringify(lang)},`;
        const texts = textList(strings, lang).map((text) => JSON.stringify(text));
        const code = `\uFEFF${call}[${texts.join(',')}])`;
        const sourceFile = localeSource(lang);
        const source = readFileSync(sourceFile, 'utf8');
        // The file sits in dist/ (or the build's outDir); the map names the source as the package ships it.
        const map = {
          version: 3,
          file: fileName,
          sources: [`../src/elements/locales/${lang}.ts`],
          sourcesContent: [source],
          names: [],
          mappings: listMappings(call.length, texts, source, sourceFile),
        };
        this.emitFile({ type: 'asset', fileName, source: code });
        this.emitFile({ type: 'asset', fileName: `${fileName}.map`, source: JSON.stringify(map) });
      }
    },
  };
}

/**
 * Source map mappings (https://tc39.es/ecma426/) from a language file to its locale module: the
 * call to the module's start, the list (at `listColumn`) to the `export const` of the table, and
 * each text of the list (`texts`, as written, in `TEXT_KEYS` order) to where the module writes its
 * key. One line; columns count from the first character after the byte order mark, which a browser
 * drops as it decodes the file.
 */
function listMappings(listColumn: number, texts: readonly string[], source: string, sourceFile: string): string {
  const keys = keyOffsets(source, sourceFile);
  const position = (offset: number): [line: number, column: number] => {
    const before = source.slice(0, offset).split('\n');
    return [before.length - 1, before[before.length - 1]!.length];
  };
  const segments: Array<[generatedColumn: number, sourceLine: number, sourceColumn: number]> = [
    [0, 0, 0],
    [listColumn, ...position(keys.table)],
  ];
  let column = listColumn + 1;
  texts.forEach((text, i) => {
    const written = keys.offsets.get(TEXT_KEYS[i]!.join('.'));
    if (written !== undefined) segments.push([column, ...position(written)]);
    column += text.length + 1;
  });

  let previous = { line: 0, column: 0 };
  let previousGenerated = 0;
  const encoded: string[] = [];
  for (const [generatedColumn, line, sourceColumn] of segments) {
    encoded.push(vlq(generatedColumn - previousGenerated) + vlq(0) + vlq(line - previous.line) + vlq(sourceColumn - previous.column));
    previousGenerated = generatedColumn;
    previous = { line, column: sourceColumn };
  }
  return encoded.join(',');
}

/**
 * Where a locale module writes its table (the `export const`) and each key of it, by key path
 * (`usernameLabel`, `errors.not-supported`), as offsets into its text: read from its syntax tree,
 * so the order and quoting of its keys do not matter.
 */
function keyOffsets(source: string, sourceFile: string): { table: number; offsets: Map<string, number> } {
  const { program, errors } = parseSync(sourceFile, source, { lang: 'ts' });
  if (errors.length) throw new Error(`${sourceFile}: ${errors[0]!.message}`);
  const declaration = program.body.find((node): node is ESTree.ExportNamedDeclaration => node.type === 'ExportNamedDeclaration');
  const init = declaration?.declaration?.type === 'VariableDeclaration' ? declaration.declaration.declarations[0]?.init : undefined;
  if (!declaration || init?.type !== 'ObjectExpression') throw new Error(`${sourceFile} must export its table as an object literal`);
  const offsets = new Map<string, number>();
  const visit = (object: ESTree.ObjectExpression, path: string): void => {
    for (const property of object.properties) {
      if (property.type !== 'Property') continue;
      const key = property.key.type === 'Identifier' ? property.key.name : property.key.type === 'Literal' ? String(property.key.value) : undefined;
      if (key === undefined) continue;
      offsets.set(path + key, property.key.start);
      if (property.value.type === 'ObjectExpression') visit(property.value, `${path}${key}.`);
    }
  };
  visit(init, '');
  return { table: declaration.start, offsets };
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** One Base64 VLQ number, as source maps write them. */
function vlq(value: number): string {
  let rest = value < 0 ? (-value << 1) | 1 : value << 1;
  let text = '';
  do {
    let digit = rest & 31;
    rest >>>= 5;
    if (rest > 0) digit |= 32;
    text += BASE64[digit];
  } while (rest > 0);
  return text;
}
