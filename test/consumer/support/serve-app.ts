/**
 * Serves a built consumer app as its site would: the static files of its
 * `dist/`, and the package's own proxy (`@sendauth/elements/server`, as
 * installed) at `/sendauth`, in front of the package's emulator.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { importFrom } from './consumer-project.js';

type ServerEntry = typeof import('../../../src/server.js');
type EmulatorEntry = typeof import('../../../src/emulator.js');

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };

export interface ServedApp {
  /** `http://localhost:PORT` (passkeys are bound to the host name `localhost`). */
  url: string;
  close(): Promise<void>;
}

/** `projectDir` is the consumer project (whose `node_modules` has the package); `distDir` the app's build. */
export async function serveApp(projectDir: string, distDir: string): Promise<ServedApp> {
  const { createSendAuthProxy, toNodeListener } = await importFrom<ServerEntry>(projectDir, '@sendauth/elements/server');
  const { startEmulator } = await importFrom<EmulatorEntry>(projectDir, '@sendauth/elements/emulator');
  const credentials = { username: 'consumer-site', password: `secret-${crypto.randomUUID()}` };
  const emulator = await startEmulator({ port: 0, ...credentials });
  const proxy = toNodeListener(
    createSendAuthProxy({ sendauth: { baseUrl: emulator.url, ...credentials }, allowSignup: true, rateLimit: false }),
  );
  const server: Server = createServer((req, res) => {
    const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (pathname.startsWith('/sendauth/')) return void proxy(req, res);
    const file = path.join(distDir, pathname === '/' ? 'index.html' : path.normalize(pathname));
    if (!file.startsWith(distDir)) return void res.writeHead(404).end();
    readFile(file).then(
      (body) => res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' }).end(body),
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://localhost:${(server.address() as AddressInfo).port}`,
    async close() {
      await new Promise((resolve) => server.close(resolve));
      await emulator.close();
    },
  };
}
