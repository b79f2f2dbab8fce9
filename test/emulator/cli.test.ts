/** The `sendauth-emulator` CLI: starts, prints its URL, serves, stops on SIGTERM. */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
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
});
