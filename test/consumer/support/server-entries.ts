/**
 * The package's server side as an installer gets it, from the packed tarball
 * installed in the consumer project: every server-side target of
 * `package.json` "exports" and "bin" is there with its types, the `./server`
 * client and proxy talk to the `./emulator`, the emulator serves its pages'
 * assets, and the `sendauth-emulator` bin starts and stops. Called from
 * `consumer.test.ts`, which packs and installs the package once for all its
 * checks.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { access, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, test } from 'node:test';
import { importFrom } from './consumer-project.js';

type ServerEntry = typeof import('../../../src/server.js');
type EmulatorEntry = typeof import('../../../src/emulator.js');

interface InstalledPackage {
  /** The consumer project (its `node_modules` has the package). */
  project: string;
  /** `node_modules/@sendauth/elements` in it. */
  installed: string;
}

interface Manifest {
  exports: Record<string, string | Record<string, string>>;
  bin: Record<string, string>;
}

/** Defines the tests; `where()` is read when they run, after the suite's `before` has installed the package. */
export function describeServerEntries(where: () => InstalledPackage): void {
  describe('the server side, as installed', () => {
    const manifest = async (): Promise<Manifest> => JSON.parse(await readFile(path.join(where().installed, 'package.json'), 'utf8')) as Manifest;

    test('every server-side target of package.json "exports" and "bin" is in the tarball, with its types', async () => {
      const { exports, bin } = await manifest();
      const targets = [...Object.values(exports).flatMap((target) => (typeof target === 'string' ? [target] : Object.values(target))), ...Object.values(bin)]
        .filter((target) => target.startsWith('./dist/') && !target.includes('*') && !target.includes('sendauth-elements'))
        .map((target) => path.join(where().installed, target));
      assert.ok(targets.length >= 7, targets.join(', '));
      for (const target of targets) await access(target);
    });

    test('./server: the client talks to the ./emulator, the proxy serves a start', async () => {
      const { SendAuthClient, createSendAuthProxy, toNodeListener } = await importFrom<ServerEntry>(where().project, '@sendauth/elements/server');
      const { startEmulator } = await importFrom<EmulatorEntry>(where().project, '@sendauth/elements/emulator');
      assert.equal(typeof toNodeListener, 'function');
      const credentials = { username: 'dist', password: `dist-${crypto.randomUUID()}` };
      const emulator = await startEmulator({ port: 0, ...credentials });
      try {
        const client = new SendAuthClient({ baseUrl: emulator.url, ...credentials });
        const user = await client.createUser({ firstName: 'Dist', lastName: 'Check', email: `dist-${crypto.randomUUID()}@example.test` });
        assert.ok((await client.listUsers()).total >= 2);
        const proxy = createSendAuthProxy({ sendauth: client, getSessionUserId: () => user.id });
        const answer = await proxy(
          new Request('http://localhost:5173/sendauth/register', {
            method: 'POST',
            headers: { 'content-type': 'application/json', origin: 'http://localhost:5173' },
            body: '{}',
          }),
        );
        assert.equal(answer.status, 201);
        const start = (await answer.json()) as { kind: string; options: { rp: { id: string } } };
        assert.equal(start.kind, 'registration');
        assert.equal(start.options.rp.id, 'localhost');
      } finally {
        await emulator.close();
      }
    });

    test('the emulator serves its outbox and respond-page assets, @simplewebauthn/browser included', async () => {
      const { startEmulator } = await importFrom<EmulatorEntry>(where().project, '@sendauth/elements/emulator');
      const emulator = await startEmulator({ port: 0 });
      try {
        for (const [pathname, type] of [
          ['/outbox', /^text\/html/],
          ['/outbox.json', /^application\/json/],
          ['/assets/respond.js', /^text\/javascript/],
          ['/assets/outbox.js', /^text\/javascript/],
          ['/assets/pages.css', /^text\/css/],
          ['/assets/simplewebauthn-browser/index.js', /^text\/javascript/],
        ] as const) {
          const answer = await fetch(`${emulator.url}${pathname}`);
          assert.equal(answer.status, 200, pathname);
          assert.match(answer.headers.get('content-type') ?? '', type, pathname);
        }
      } finally {
        await emulator.close();
      }
    });

    test('the sendauth-emulator bin prints its URL and stops on SIGTERM', async () => {
      const bin = (await manifest()).bin['sendauth-emulator'];
      assert.ok(bin, 'package.json names the sendauth-emulator bin');
      const child = spawn(process.execPath, [path.join(where().installed, bin), '--port', '0'], { cwd: where().project, stdio: ['ignore', 'pipe', 'pipe'] });
      try {
        const firstLine = await new Promise<string>((resolve, reject) => {
          let text = '';
          child.stdout.on('data', (chunk: Buffer) => {
            text += chunk.toString();
            if (text.includes('\n')) resolve(text.split('\n')[0]!);
          });
          child.once('exit', (code) => reject(new Error(`exited with ${code} before printing a URL`)));
        });
        assert.match(firstLine, /^http:\/\/127\.0\.0\.1:\d+$/);
        const users = await fetch(`${firstLine}/api/v1/users`);
        assert.equal(users.status, 401, 'basic auth is required');
      } finally {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
    });
  });
}
