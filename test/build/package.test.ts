/**
 * The compiled package, as an installer gets it: `tsc -p tsconfig.build.json`
 * into a scratch folder inside the repository (so `node_modules` resolves as
 * it would for a dependant), then the `./server` and `./emulator` entries,
 * the `sendauth-emulator` bin and the Node side of the `.` entry are used for
 * real. `package.json`'s export map must point at files the build writes.
 */
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { access, cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
let out: string;

before(async () => {
  out = await mkdtemp(path.join(repoRoot, '.test-dist-'));
  const tsc = path.join(repoRoot, 'node_modules/typescript/bin/tsc');
  await promisify(execFile)(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', out], { cwd: repoRoot });
  // As `npm run build` does: the emulator's page assets are not TypeScript.
  await cp(path.join(repoRoot, 'src/emulator/assets'), path.join(out, 'emulator/assets'), { recursive: true });
});
after(() => rm(out, { recursive: true, force: true }));

const load = (file: string): Promise<Record<string, unknown>> => import(pathToFileURL(path.join(out, file)).href);

test('every server-side target of package.json "exports" and "bin" is built, with its types', async () => {
  const pkg = JSON.parse(await readFile(path.join(repoRoot, 'package.json'), 'utf8')) as {
    exports: Record<string, string | Record<string, string>>;
    bin: Record<string, string>;
  };
  const targets = [
    ...Object.entries(pkg.exports).flatMap(([, target]) => (typeof target === 'string' ? [target] : Object.values(target))),
    ...Object.values(pkg.bin),
  ]
    .filter((target) => target.startsWith('./dist/') && !target.includes('*') && !target.includes('sendauth-elements'))
    .map((target) => path.join(out, target.slice('./dist/'.length)));
  assert.ok(targets.length >= 7, targets.join(', '));
  for (const target of targets) await access(target);
});

test('./server: the client talks to the built emulator, the proxy serves a start', async () => {
  const server = await load('server.js');
  const { startEmulator } = (await load('emulator.js')) as { startEmulator: (o: object) => Promise<{ url: string; close(): Promise<void> }> };
  type Client = { createUser(u: object): Promise<{ id: string }>; listUsers(q?: object): Promise<{ total: number }> };
  const SendAuthClient = server.SendAuthClient as new (o: object) => Client;
  const createSendAuthProxy = server.createSendAuthProxy as (o: object) => (r: Request) => Promise<Response>;
  assert.equal(typeof server.toNodeListener, 'function');

  const credentials = { username: 'dist', password: 'dist-secret' };
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

test('the built emulator serves its outbox and respond-page assets, @simplewebauthn/browser included', async () => {
  const { startEmulator } = (await load('emulator.js')) as { startEmulator: (o: object) => Promise<{ url: string; outboxUrl: string; close(): Promise<void> }> };
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
  const child = spawn(process.execPath, [path.join(out, 'emulator/cli.js'), '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
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

test('the "." entry loads in Node (server-side rendering) from the build', async () => {
  const elements = await load('index.js');
  assert.equal(typeof elements.SendAuthLogin, 'function');
  assert.equal(typeof elements.registerLanguage, 'function');
});
