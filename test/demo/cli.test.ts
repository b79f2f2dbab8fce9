/**
 * `npm start` as a developer meets it: a readable message and exit code 1
 * for a bad PORT, a half-set SendAuth or a taken port; with a real SendAuth
 * (here an emulator started by the test) it starts none of its own, says
 * which it uses, serves the proxy against it on HOST, and Ctrl+C stops it.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { SendAuthClient } from '../../src/api/index.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import type { ErrorBody } from '../../src/wire.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

let scratch: string;

before(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), 'sendauth-demo-cli-'));
});

after(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

interface Started {
  /** Everything printed so far, stdout and stderr. */
  output: () => string;
  /** Resolves once `pattern` has been printed; rejects when the process exits first. */
  printed: (pattern: RegExp) => Promise<RegExpExecArray>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Sends a signal to npm and everything it started. */
  signal: (name: NodeJS.Signals) => void;
}

/** `npm start` in its own process group, with the environment a test names (and none of the caller's SendAuth), and `-- args`. */
function npmStart(env: Record<string, string>, args: string[] = []): Started {
  const child = spawn('npm', ['start', ...(args.length > 0 ? ['--', ...args] : [])], {
    cwd: repoRoot,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      SENDAUTH_URL: '',
      SENDAUTH_USERNAME: '',
      SENDAUTH_PASSWORD: '',
      PORT: '0',
      SENDAUTH_DATA_FILE: path.join(scratch, 'sendauth-data.json'),
      DEMO_VITE_CACHE_DIR: path.join(scratch, 'vite'),
      ...env,
    },
  });
  let output = '';
  const listeners = new Set<() => void>();
  const read = (chunk: Buffer): void => {
    output += chunk.toString();
    for (const listener of listeners) listener();
  };
  child.stdout.on('data', read);
  child.stderr.on('data', read);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  return {
    output: () => output,
    exited,
    signal: (name) => {
      if (child.pid && child.exitCode === null && child.signalCode === null) process.kill(-child.pid, name);
    },
    printed: (pattern) =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          const match = pattern.exec(output);
          if (!match) return;
          listeners.delete(check);
          resolve(match);
        };
        listeners.add(check);
        check();
        void exited.then(() => {
          if (listeners.delete(check)) reject(new Error(`npm start exited without printing ${pattern}:\n${output}`));
        });
      }),
  };
}

/** Runs `npm start` to its end (it must end by itself) and returns its exit code and output. */
async function runToEnd(env: Record<string, string>, args: string[] = []): Promise<{ code: number | null; output: string }> {
  const started = npmStart(env, args);
  const timer = setTimeout(() => started.signal('SIGKILL'), 120_000);
  const { code } = await started.exited;
  clearTimeout(timer);
  return { code, output: started.output() };
}

test('a PORT that is not a port number stops it with a message', async () => {
  for (const port of ['abc', '70000']) {
    const { code, output } = await runToEnd({ PORT: port });
    assert.equal(code, 1, `PORT=${port}`);
    assert.ok(output.includes(`PORT must be a port number, got "${port}".`), output);
    assert.doesNotMatch(output, /SendAuth elements demo:/);
  }
});

test('a half-set SendAuth stops it with a message naming what is missing', async () => {
  const { code, output } = await runToEnd({ SENDAUTH_URL: 'https://sendauth.example' });
  assert.equal(code, 1);
  assert.ok(
    output.includes('To use a real SendAuth set all of SENDAUTH_URL, SENDAUTH_USERNAME and SENDAUTH_PASSWORD (missing: SENDAUTH_USERNAME, SENDAUTH_PASSWORD).'),
    output,
  );
  const second = await runToEnd({ SENDAUTH_USERNAME: 'site', SENDAUTH_PASSWORD: 'secret' });
  assert.equal(second.code, 1);
  assert.ok(second.output.includes('(missing: SENDAUTH_URL).'), second.output);
});

test('a taken port stops it with a message naming another to try', { timeout: 180_000 }, async () => {
  const taken: Server = createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  const { port } = taken.address() as { port: number };
  try {
    const { code, output } = await runToEnd({ PORT: String(port) });
    assert.equal(code, 1);
    assert.ok(output.includes(`The demo could not start: Port ${port} is already in use. Start the demo on another one, e.g. PORT=5174 npm start.`), output);
  } finally {
    await new Promise((resolve) => taken.close(resolve));
  }
});

test('with a real SendAuth it starts no emulator, says which it uses, and Ctrl+C stops it', { timeout: 180_000 }, async () => {
  const sendauth: RunningEmulator = await startEmulator({ port: 0, username: 'site', password: `pw-${process.pid}` });
  const started = npmStart({ SENDAUTH_URL: sendauth.url, SENDAUTH_USERNAME: 'site', SENDAUTH_PASSWORD: `pw-${process.pid}`, HOST: '127.0.0.1' });
  try {
    const [, url = ''] = await started.printed(/SendAuth elements demo: (http:\/\/localhost:\d+)/);
    await started.printed(/Press Ctrl\+C to stop\./);
    assert.ok(started.output().includes(`  SendAuth: ${sendauth.url} (from SENDAUTH_URL; no emulator started).`), started.output());
    assert.doesNotMatch(started.output(), /the local emulator/);

    // The proxy talks to that SendAuth with those credentials: a stranger's sign-in is its no-passkey answer.
    const answer = await fetch(`${url}/sendauth/authenticate`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: url },
      body: JSON.stringify({ username: 'nobody@example.com' }),
    });
    assert.equal(answer.status, 404);
    assert.equal(((await answer.json()) as ErrorBody).error.code, 'no-passkey');

    started.signal('SIGINT');
    await started.exited;
    await assert.rejects(fetch(`${url}/session`), 'the port is closed');
  } finally {
    started.signal('SIGKILL');
    await sendauth.close();
  }
});

test('an unknown argument stops it with a message naming the one there is', async () => {
  const { code, output } = await runToEnd({}, ['--approve-everything']);
  assert.equal(code, 1);
  assert.ok(output.includes('Unknown argument --approve-everything. The one argument is --approval-only.'), output);
});

test('--port or --host (the emulator’s flags) stops it naming PORT and HOST, where the demo takes them', async () => {
  for (const args of [['--port', '0'], ['--port=3000'], ['--host', '0.0.0.0']]) {
    const { code, output } = await runToEnd({}, args);
    assert.equal(code, 1);
    assert.ok(
      output.includes(`Unknown argument ${args.join(' ')}. The one argument is --approval-only. The port and interface come from PORT and HOST, e.g. PORT=0 npm start.`),
      output,
    );
  }
});

test('npm start -- --approval-only runs the emulator as the public spec and prints its outbox', { timeout: 180_000 }, async () => {
  const started = npmStart({ HOST: '127.0.0.1' }, ['--approval-only']);
  try {
    const [, url = ''] = await started.printed(/SendAuth elements demo: (http:\/\/localhost:\d+)/);
    const [, outbox = ''] = await started.printed(/Outbox \(SendAuth's notifications, with the links to approve them\): (http:\/\/localhost:\d+\/outbox)/);
    assert.match(started.output(), /As SendAuth's public spec only \(--approval-only\)/);
    const emulator = new URL(outbox).origin.replace('localhost', '127.0.0.1');
    assert.equal((await fetch(`${emulator}/outbox`)).status, 200);
    // The assumed ceremony endpoints are not there for a TX that exists (the emulator's default account, as the demo uses it).
    const sendauth = new SendAuthClient({ baseUrl: emulator, username: 'sendauth', password: 'sendauth-emulator' });
    const user = await sendauth.createUser({ firstName: 'Cli', lastName: 'Tester', email: `${crypto.randomUUID()}@example.com` });
    const { tx } = await sendauth.registerUser(user.id!);
    await assert.rejects(sendauth.getCeremony(tx), (error: { status?: number }) => error.status === 404);
    assert.equal((await sendauth.checkTransaction(tx)).state, 'pending');
    // The site sends a developer to it.
    const redirect = await fetch(`${url}/outbox`, { redirect: 'manual' });
    assert.equal(redirect.status, 302);
    assert.equal(redirect.headers.get('location'), outbox);
    started.signal('SIGINT');
    await started.exited;
  } finally {
    started.signal('SIGKILL');
  }
});
