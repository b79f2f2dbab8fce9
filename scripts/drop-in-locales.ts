/**
 * The drop-in files for the languages that are not built in: one
 * `dist/sendauth-elements.<lang>.js` for every table in `src/elements/locales/`
 * but English (so adding a language is adding its file there), each with its
 * source map beside it (not named in the file, like the drop-in's own: see
 * `vite.config.ts`). Each registers its table with the drop-in file's global
 * (`SendAuthElements.registerLanguage`), so a page without a bundler adds
 * German with one more `<script src>` after the main one. Used by
 * `vite.config.ts`, `npm run size` and the bundle tests.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { transformWithOxc, type Plugin } from 'vite';
import type { SendAuthStrings } from '../src/elements/strings.js';

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
        // a page in Shift_JIS or windows-1252, served without a charset, still reads the text right.
        const head =
          `\uFEFF/* @sendauth/elements: "${lang}" strings for the drop-in file; load it after sendauth-elements.iife.js. */\n` +
          `(function(e){if(!e)throw new Error("${fileName}: load sendauth-elements.iife.js first");` +
          `e.registerLanguage(${JSON.stringify(lang)},`;
        const table = JSON.stringify(strings);
        const code = `${head}${table})})(globalThis.SendAuthElements);\n`;
        const sourceFile = localeSource(lang);
        const source = readFileSync(sourceFile, 'utf8');
        // The file sits in dist/ (or the build's outDir); the map names the source as the package ships it.
        const map = {
          version: 3,
          file: fileName,
          sources: [`../src/elements/locales/${lang}.ts`],
          sourcesContent: [source],
          names: [],
          mappings: tableMappings(head, table, strings, source),
        };
        this.emitFile({ type: 'asset', fileName, source: code });
        this.emitFile({ type: 'asset', fileName: `${fileName}.map`, source: JSON.stringify(map) });
      }
    },
  };
}

/**
 * Source map mappings (https://tc39.es/ecma426/) from the generated file to the
 * locale module: its first line to the module's start, the table to the
 * `export const` line, and each key of the table to where the module writes it.
 * Keys are found in order in both texts (JSON.stringify keeps the module's order).
 */
function tableMappings(head: string, table: string, strings: SendAuthStrings, source: string): string {
  const headLines = head.split('\n');
  const tableLine = headLines.length - 1;
  const tableColumn = headLines[tableLine]!.length;
  const segments: Array<[generatedColumn: number, sourceLine: number, sourceColumn: number]> = [];
  const position = (offset: number): [number, number] => {
    const before = source.slice(0, offset).split('\n');
    return [before.length - 1, before[before.length - 1]!.length];
  };
  const exportAt = source.indexOf('export const');
  segments.push([tableColumn, ...position(Math.max(exportAt, 0))]);
  let generatedAt = 0;
  let sourceAt = Math.max(exportAt, 0);
  const walk = (value: unknown): void => {
    if (typeof value !== 'object' || value === null) return;
    for (const [key, inner] of Object.entries(value)) {
      const generated = table.indexOf(`${JSON.stringify(key)}:`, generatedAt);
      const written = new RegExp(`(?:^|[\\s{,])(['"]?)${key.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')}\\1\\s*:`, 'g');
      written.lastIndex = sourceAt;
      const found = written.exec(source);
      if (generated >= 0 && found) {
        generatedAt = generated + 1;
        sourceAt = found.index + found[0].length;
        segments.push([tableColumn + generated, ...position(sourceAt - found[0].trimStart().length)]);
      }
      walk(inner);
    }
  };
  walk(strings);

  // Line 0 (the comment) maps to the module's first character; the table line gets the segments.
  const lines: string[] = Array.from({ length: tableLine + 1 }, () => '');
  lines[0] = 'AAAA';
  let previous = { line: 0, column: 0 };
  const encoded: string[] = [];
  let previousGenerated = 0;
  for (const [generatedColumn, line, column] of segments) {
    encoded.push(vlq(generatedColumn - previousGenerated) + vlq(0) + vlq(line - previous.line) + vlq(column - previous.column));
    previousGenerated = generatedColumn;
    previous = { line, column };
  }
  lines[tableLine] = encoded.join(',');
  return lines.join(';');
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
