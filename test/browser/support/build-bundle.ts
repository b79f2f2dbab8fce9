/**
 * Builds the browser bundle (`vite.config.ts`) into a temporary directory and
 * returns the files' text and their source maps': the bundle tests and the
 * drop-in pages check what the source builds to now, not whatever `dist/` last
 * held.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DROP_IN_LOCALES } from '../../../scripts/drop-in-locales.js';

export type BundleFile = 'sendauth-elements.js' | 'sendauth-elements.iife.js' | `sendauth-elements.${string}.js`;
/** The built files' text: the two main files always, a language file when its table exists. */
export type BundleTexts = Record<'sendauth-elements.js' | 'sendauth-elements.iife.js', string> &
  Partial<Record<BundleFile, string>> & {
    /** Each file's source map (`<file>.map` beside it), as JSON text. */
    maps: Partial<Record<BundleFile, string>>;
  };

export const BUNDLE_FILES: readonly BundleFile[] = [
  'sendauth-elements.js',
  'sendauth-elements.iife.js',
  // The drop-in files of the languages that are not built in, one per table in src/elements/locales/.
  ...DROP_IN_LOCALES.map((lang): BundleFile => `sendauth-elements.${lang}.js`),
];

export async function buildBrowserBundle(): Promise<BundleTexts> {
  const { build } = await import('vite');
  const outDir = await mkdtemp(join(tmpdir(), 'sendauth-bundle-'));
  try {
    await build({
      configFile: fileURLToPath(new URL('../../../vite.config.ts', import.meta.url)),
      root: fileURLToPath(new URL('../../..', import.meta.url)),
      logLevel: 'warn',
      build: { outDir },
    });
    const read = (names: readonly string[]): Promise<string[]> => Promise.all(names.map((name) => readFile(join(outDir, name), 'utf8')));
    const [texts, maps] = await Promise.all([read(BUNDLE_FILES), read(BUNDLE_FILES.map((file) => `${file}.map`))]);
    return {
      ...(Object.fromEntries(BUNDLE_FILES.map((file, i) => [file, texts[i] ?? ''])) as Record<BundleFile, string>),
      maps: Object.fromEntries(BUNDLE_FILES.map((file, i) => [file, maps[i] ?? ''])),
    } as BundleTexts;
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}
