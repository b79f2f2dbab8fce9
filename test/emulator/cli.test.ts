/** The `sendauth-emulator` CLI: starts, prints its URL, serves, prints each notification's link, stops on SIGTERM. */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { OutboxEntry } from '../../src/emulator/outbox.js';
import { sendRequest } from '../support/emulator-fixture.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

function spawnCli(args: string[]): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'src/emulator/cli.ts', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Resolves with the first URL the process prints; rejects if it exits first. */
function firstUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const match = /http:\/\/[^\s]+:\d+/.exec(out);
      if (match) resolve(match[0]);
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    child.once('exit', (code) => reject(new Error(`CLI exited (${code}) before printing a URL: ${err}`)));
  });
}

/** What the process prints, as it comes; `waitFor` resolves with the first match of a pattern, rejects if the process exits first. */
function watchStdout(child: ChildProcess): { text: () => string; waitFor: (pattern: RegExp) => Promise<RegExpExecArray> } {
  let out = '';
  let exited = false;
  const waiters: (() => void)[] = [];
  const wakeAll = (): void => {
    for (const wake of waiters.splice(0)) wake();
  };
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    wakeAll();
  });
  child.once('exit', () => {
    exited = true;
    wakeAll();
  });
  return {
    text: () => out,
    waitFor: (pattern) =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          const match = pattern.exec(out);
          if (match) resolve(match);
          else if (exited) reject(new Error(`The CLI exited without printing ${pattern}; it printed:\n${out}`));
          else waiters.push(check);
        };
        check();
      }),
  };
}

async function stop(child: ChildProcess): Promise<number | null> {
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const [code] = (await exited) as [number | null];
  return code;
}

const AUTH = { username: 'sendauth', password: 'sendauth-emulator' };

/** A user with an email, and a registration TX for them; returns the TX id. */
async function registrationTx(url: string, email: string): Promise<string> {
  const user = await sendRequest<{ id: string }>(url, 'POST', '/api/v1/users', { auth: AUTH, body: { firstName: 'Cli', lastName: 'Tester', email } });
  assert.equal(user.status, 201, user.text);
  const tx = await sendRequest<{ tx: string }>(url, 'POST', `/api/v1/users/${user.body.id}/register`, { auth: AUTH });
  assert.equal(tx.status, 201, tx.text);
  return tx.body.tx;
}

describe('sendauth-emulator CLI', () => {
  it('starts on a free port with --port 0, prints its URL, answers with the given credentials, stops on SIGTERM', async () => {
    const child = spawnCli(['--port', '0', '--username', 'cli-user', '--password', 'cli-pass']);
    try {
      const url = await firstUrl(child);
      assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
      const ok = await sendRequest(url, 'GET', '/api/v1/users', { auth: { username: 'cli-user', password: 'cli-pass' } });
      assert.equal(ok.status, 200);
      const refused = await sendRequest(url, 'GET', '/api/v1/users', { auth: { username: 'sendauth', password: 'sendauth-emulator' } });
      assert.equal(refused.status, 401);
    } finally {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const [code] = (await exited) as [number | null];
      assert.equal(code, 0);
    }
  });

  it('refuses an unknown flag with exit code 2 and the usage', async () => {
    const child = spawnCli(['--no-such-flag']);
    let err = '';
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    const [code] = (await once(child, 'exit')) as [number | null];
    assert.equal(code, 2);
    assert.match(err, /Usage: sendauth-emulator/);
  });

  it('prints the outbox URL and one line per notification with its link; --no-ceremony-endpoints serves the public spec only', async () => {
    const child = spawnCli(['--port', '0', '--no-ceremony-endpoints']);
    try {
      const stdout = watchStdout(child);
      const url = await firstUrl(child);
      const port = new URL(url).port;
      const [, outboxUrl] = await stdout.waitFor(/^Outbox: (\S+)$/m);
      assert.equal(outboxUrl, `http://localhost:${port}/outbox`);
      assert.match(stdout.text(), /public spec only/);

      const tx = await registrationTx(url, 'cli-notified@example.com');
      const [line, link] = await stdout.waitFor(new RegExp(`^Notification: registration for cli-notified@example\\.com by email: (http://localhost:${port}/respond/${tx}\\?secret=[A-Za-z0-9_-]{43})$`, 'm'));
      const outbox = await sendRequest<OutboxEntry[]>(url, 'GET', '/outbox.json', { auth: false });
      assert.equal(outbox.body[0]?.link, link, line);
      assert.equal(stdout.text().match(/^Notification: /gm)?.length, 1, 'one line per TX');

      const ceremony = await sendRequest(url, 'GET', `/api/v1/transactions/${tx}/webauthn`, { auth: AUTH });
      assert.equal(ceremony.status, 404);
    } finally {
      assert.equal(await stop(child), 0);
    }
  });

  it('--no-print-links prints no notification; the ceremony endpoints are served by default', async () => {
    const child = spawnCli(['--port', '0', '--no-print-links']);
    const stdout = watchStdout(child);
    const url = await firstUrl(child);
    const tx = await registrationTx(url, 'cli-quiet@example.com');
    const ceremony = await sendRequest(url, 'GET', `/api/v1/transactions/${tx}/webauthn`, { auth: AUTH });
    assert.equal(ceremony.status, 200);
    assert.equal(await stop(child), 0);
    assert.match(stdout.text(), /^Outbox: /m);
    assert.doesNotMatch(stdout.text(), /Notification:|secret=/);
  });

  it('--help lists every flag, and the emulator table of the README documents each one', async () => {
    const child = spawnCli(['--help']);
    const stdout = watchStdout(child);
    const [code] = (await once(child, 'exit')) as [number | null];
    assert.equal(code, 0);
    const flags = [...stdout.text().matchAll(/^\s+(--[a-z-]+)/gm)].map((match) => match[1]!);
    assert.ok(flags.includes('--no-ceremony-endpoints') && flags.includes('--no-print-links') && flags.includes('--public-url'), flags.join(' '));
    const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('## The emulator on its own'), readme.indexOf('## More commands'));
    for (const flag of flags) assert.match(section, new RegExp(`^\\| \`${flag}[ \`]`, 'm'), `README's emulator table has no row for ${flag}`);
  });
});
