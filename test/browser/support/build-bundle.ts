/**
 * Builds the browser bundle (`vite.config.ts`) into a temporary directory and
 * returns the files' text: the bundle tests and the drop-in pages check what
 * the source builds to now, not whatever `dist/` last held.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BUNDLE_FILES = [
  'sendauth-elements.js',
  'sendauth-elements.iife.js',
  // The drop-in files of the languages that are not built in.
  'sendauth-elements.de.js',
  'sendauth-elements.fr.js',
] as const;
export type BundleFile = (typeof BUNDLE_FILES)[number];

export async function buildBrowserBundle(): Promise<Record<BundleFile, string>> {
  const { build } = await import('vite');
  const outDir = await mkdtemp(join(tmpdir(), 'sendauth-bundle-'));
  try {
    await build({
      configFile: fileURLToPath(new URL('../../../vite.config.ts', import.meta.url)),
      root: fileURLToPath(new URL('../../..', import.meta.url)),
      logLevel: 'warn',
      build: { outDir },
    });
    const texts = await Promise.all(BUNDLE_FILES.map((file) => readFile(join(outDir, file), 'utf8')));
    return Object.fromEntries(BUNDLE_FILES.map((file, i) => [file, texts[i] ?? ''])) as Record<BundleFile, string>;
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}
