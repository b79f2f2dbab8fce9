/**
 * The pages' static files, without basic auth: `GET /assets/{pages.css,
 * outbox.js, respond.js, favicon.svg}` from `src/emulator/assets/` (copied next to the
 * compiled code by the build), and `GET /assets/simplewebauthn-browser/…`,
 * the ES module build of `@simplewebauthn/browser` as installed (no bundler
 * at run time). Only files listed here or found in that package's `esm/`
 * folder are served; any other path is 404.
 */
import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { notFound } from '../errors.js';
import type { EmulatorApp, EmulatorContext } from '../http.js';

const JS = 'text/javascript; charset=utf-8';
const OWN_ASSETS: Readonly<Record<string, string>> = {
  'pages.css': 'text/css; charset=utf-8',
  'outbox.js': JS,
  'respond.js': JS,
  'favicon.svg': 'image/svg+xml',
};

/** `src/emulator/assets/` from `src/emulator/routes/`, and `dist/emulator/assets/` from `dist/emulator/routes/`. */
const ASSET_DIR = fileURLToPath(new URL('../assets/', import.meta.url));

export const SIMPLEWEBAUTHN_PREFIX = '/assets/simplewebauthn-browser/';

/** Relative path → absolute path of every `.js` file of `@simplewebauthn/browser/esm`, found once. */
let browserModules: Promise<Map<string, string>> | undefined;

async function listJsFiles(dir: string, prefix = ''): Promise<[string, string][]> {
  const found: [string, string][] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const relative = `${prefix}${entry.name}`;
    if (entry.isDirectory()) found.push(...(await listJsFiles(path.join(dir, entry.name), `${relative}/`)));
    else if (entry.isFile() && entry.name.endsWith('.js')) found.push([relative, path.join(dir, entry.name)]);
  }
  return found;
}

function simpleWebAuthnModules(): Promise<Map<string, string>> {
  browserModules ??= (async () => {
    // The package's `require` entry is script/index.js; its ES modules are in esm/ beside it.
    const entry = createRequire(import.meta.url).resolve('@simplewebauthn/browser');
    const esm = path.join(path.dirname(path.dirname(entry)), 'esm');
    return new Map(await listJsFiles(esm));
  })();
  return browserModules;
}

function serveFile(c: EmulatorContext, body: Buffer, contentType: string): Response {
  c.header('Content-Type', contentType);
  c.header('Cache-Control', 'no-cache');
  c.header('X-Content-Type-Options', 'nosniff');
  return c.body(new Uint8Array(body));
}

export function registerAssetRoutes(app: EmulatorApp): void {
  app.get(`${SIMPLEWEBAUTHN_PREFIX}*`, async (c) => {
    const file = (await simpleWebAuthnModules()).get(c.req.path.slice(SIMPLEWEBAUTHN_PREFIX.length));
    if (file === undefined) throw notFound(`No such asset: ${c.req.path}`);
    return serveFile(c, await readFile(file), JS);
  });

  app.get('/assets/:name', async (c) => {
    const name = c.req.param('name');
    const contentType = Object.hasOwn(OWN_ASSETS, name) ? OWN_ASSETS[name] : undefined;
    if (contentType === undefined) throw notFound(`No such asset: ${c.req.path}`);
    const body = await readFile(path.join(ASSET_DIR, name)).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
      throw new Error(`The emulator's page assets are missing from ${ASSET_DIR}: the build must copy src/emulator/assets there`, { cause: error });
    });
    return serveFile(c, body, contentType);
  });
}
