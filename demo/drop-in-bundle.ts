/**
 * The drop-in page loads `dist/sendauth-elements.iife.js` exactly as a site
 * without a bundler would. A fresh clone has no `dist/`, so the demo builds
 * that one file on start (Vite's build API, in-process, with the package's
 * own `vite.config.ts`), and builds it again when `src/` has changed since.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { build } from 'vite';

export const DROP_IN_FILE = 'sendauth-elements.iife.js';

/** Resolves to the drop-in file's path, building it first when it is missing or older than `src/`. */
export async function ensureDropInBundle(repoRoot: string, log: (line: string) => void = () => {}): Promise<string> {
  const target = path.join(repoRoot, 'dist', DROP_IN_FILE);
  const builtAt = await modifiedAt(target);
  if (builtAt !== undefined && builtAt >= (await newestIn(path.join(repoRoot, 'src')))) return target;

  log(`Building dist/${DROP_IN_FILE} for the drop-in page${builtAt === undefined ? '' : ' (src/ changed since the last build)'}…`);
  // Build beside the target and rename: a second demo starting at the same
  // moment, or a browser asking for the file, never sees half a file.
  const scratch = path.join(repoRoot, 'dist', `.drop-in-build-${randomUUID()}`);
  await mkdir(scratch, { recursive: true });
  try {
    await build({
      configFile: path.join(repoRoot, 'vite.config.ts'),
      root: repoRoot,
      logLevel: 'warn',
      build: { outDir: scratch, emptyOutDir: false },
    });
    await rename(path.join(scratch, DROP_IN_FILE), target);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  return target;
}

async function modifiedAt(file: string): Promise<number | undefined> {
  try {
    return (await stat(file)).mtimeMs;
  } catch {
    return undefined;
  }
}

/** The latest modification time of any file under `dir`. */
async function newestIn(dir: string): Promise<number> {
  let newest = 0;
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    newest = Math.max(newest, (await modifiedAt(path.join(entry.parentPath, entry.name))) ?? 0);
  }
  return newest;
}
