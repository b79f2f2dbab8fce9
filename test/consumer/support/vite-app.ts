/**
 * Builds a small app of the consumer project with Vite, as the app's own
 * `vite build` would, and measures what it ships.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

export interface ShippedSize {
  /** The modules bundled (absolute paths, symlinks resolved). */
  modules: Set<string>;
  /** Minified JavaScript, bytes. */
  raw: number;
  /** The same, gzip -9, bytes (each file compressed on its own, as a server sends it). */
  gzip: number;
  /** All the JavaScript, for looking into. */
  code: string;
}

/** `vite build` of the app in `appDir` (an `index.html` and its modules) into `appDir/dist`. */
export async function buildApp(appDir: string): Promise<ShippedSize> {
  const { build } = await import('vite');
  const modules = new Set<string>();
  await build({
    root: appDir,
    configFile: false,
    logLevel: 'silent',
    cacheDir: path.join(appDir, '.vite'),
    plugins: [recordModules(modules)],
    build: { outDir: path.join(appDir, 'dist'), emptyOutDir: true },
  });
  return { modules, ...(await measureJavaScript(path.join(appDir, 'dist'))) };
}

/**
 * What `entry` adds to an app that already ships `shipped`: `entry` built as
 * a minified ES library, with every module of `shipped` left out (imported,
 * not bundled).
 */
export async function buildAddition(appDir: string, entry: string, shipped: Set<string>): Promise<ShippedSize> {
  const { build } = await import('vite');
  const outDir = path.join(appDir, 'dist');
  const modules = new Set<string>();
  await build({
    root: appDir,
    configFile: false,
    logLevel: 'silent',
    cacheDir: path.join(appDir, '.vite'),
    plugins: [recordModules(modules)],
    build: {
      outDir,
      emptyOutDir: true,
      minify: true,
      lib: { entry: path.join(appDir, entry), formats: ['es'], fileName: 'addition' },
      rolldownOptions: {
        external: (id, _importer, isResolved) => isResolved && shipped.has(id),
        output: { minify: true },
      },
    },
  });
  return { modules, ...(await measureJavaScript(outDir)) };
}

/** Collects the ids of the modules that end up in the output. */
function recordModules(into: Set<string>): Plugin {
  return {
    name: 'record-modules',
    generateBundle(_options, bundle) {
      for (const output of Object.values(bundle)) {
        if (output.type === 'chunk') for (const id of output.moduleIds) into.add(id);
      }
    },
  };
}

async function measureJavaScript(dir: string): Promise<Omit<ShippedSize, 'modules'>> {
  const files = (await readdir(dir, { recursive: true })).filter((file) => file.endsWith('.js')).sort();
  const texts = await Promise.all(files.map((file) => readFile(path.join(dir, file))));
  return {
    raw: texts.reduce((sum, text) => sum + text.length, 0),
    gzip: texts.reduce((sum, text) => sum + gzipSync(text, { level: 9 }).length, 0),
    code: texts.map((text) => text.toString('utf8')).join('\n'),
  };
}

/** `12.34 kB` (1000 bytes, as Vite prints sizes). */
export const kB = (bytes: number): string => `${(bytes / 1000).toFixed(2)} kB`;
