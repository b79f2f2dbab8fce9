/**
 * One emulator per data file, and only valid state in it: a second emulator
 * (another process through the CLI, or `startEmulator` in this one) is
 * refused while the first is alive, so no user confirmed with 201 is lost;
 * a lock left by a dead process is recovered; a file with wrong shapes is
 * refused at start with the path of the bad value, never a 500 later.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { access, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DataFileInUseError } from '../../src/emulator/data-file-lock.js';
import { startEmulator } from '../../src/emulator/index.js';
import type { PaginatedUsers, User } from '../../src/types.js';
import { sendRequest, startTestEmulator, TEST_PASSWORD, TEST_USERNAME } from '../support/emulator-fixture.js';
import { exitCode, firstUrl, root, spawnCli, stop } from './cli-process.js';
import { createUser } from './helpers.js';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sendauth-data-file-'));
});
after(() => rm(dir, { recursive: true, force: true }));

const fresh = (name: string) => join(dir, `${name}-${randomUUID().slice(0, 8)}.json`);
const exists = (path: string) => access(path).then(() => true, () => false);
const cliAuth = ['--username', TEST_USERNAME, '--password', TEST_PASSWORD];

async function usersOn(url: string): Promise<string[]> {
  const res = await sendRequest<PaginatedUsers>(url, 'GET', '/api/v1/users?perPage=100');
  assert.equal(res.status, 200, res.text);
  return res.body.rows.map((u) => u.id ?? '');
}

/** A PID that belonged to a process that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  const pid = child.pid;
  await once(child, 'exit');
  assert.ok(pid !== undefined);
  return pid;
}

describe('a data file held by a live emulator', () => {
  it('is refused to a second emulator process; the first keeps every confirmed user', async () => {
    const dataFile = fresh('two-processes');
    const first = spawnCli(['--port', '0', '--data-file', dataFile, ...cliAuth]);
    try {
      const url = await firstUrl(first);
      const second = spawnCli(['--port', '0', '--data-file', dataFile, ...cliAuth]);
      assert.equal(await exitCode(second.child), 1);
      assert.match(second.stderr(), new RegExp(`data file .*two-processes.* is in use by process ${first.child.pid}\\b`));
      assert.match(second.stderr(), /\.lock/);

      // The one emulator on the file confirms users, and they are all there after a restart.
      const created: string[] = [];
      for (let i = 0; i < 3; i++) {
        const res = await sendRequest<User>(url, 'POST', '/api/v1/users', { body: { firstName: `Ada${'x'.repeat(i)}`, lastName: 'Locked' } });
        assert.equal(res.status, 201, res.text);
        created.push(res.body.id ?? '');
      }
      assert.equal(await stop(first.child), 0);
      assert.equal(await exists(`${dataFile}.lock`), false, 'a clean stop removes the lock');

      const third = spawnCli(['--port', '0', '--data-file', dataFile, ...cliAuth]);
      try {
        const ids = await usersOn(await firstUrl(third));
        for (const id of created) assert.ok(ids.includes(id), `user ${id} survived`);
      } finally {
        await stop(third.child);
      }
    } finally {
      await stop(first.child);
    }
  });

  it('is refused to a second startEmulator in the same process (DataFileInUseError), until the first closes', async () => {
    const dataFile = fresh('same-process');
    const first = await startTestEmulator({ dataFile });
    let firstClosed = false;
    try {
      const user = await createUser(first);
      const error = await startEmulator({ port: 0, dataFile }).then(
        () => assert.fail('a second emulator started on a held data file'),
        (e: unknown) => e,
      );
      assert.ok(error instanceof DataFileInUseError, String(error));
      assert.equal(error.holder.pid, process.pid);
      assert.equal(error.lockFile, `${dataFile}.lock`);
      assert.match(error.message, /is in use by process \d+ .*stop that one, or use another --data-file/);
      // The refused start left the holder's lock and state alone.
      assert.equal((await first.request('GET', `/api/v1/users/${user.id}`)).status, 200);
      await first.close();
      firstClosed = true;

      const second = await startTestEmulator({ dataFile });
      try {
        assert.ok((await usersOn(second.url)).includes(user.id));
      } finally {
        await second.close();
      }
    } finally {
      if (!firstClosed) await first.close();
    }
  });

  it('a lock from another host counts as held (its process cannot be checked)', async () => {
    const dataFile = fresh('other-host');
    const lock = { pid: 1, hostname: `not-${hostname()}`, since: new Date().toISOString(), token: randomUUID() };
    await writeFile(`${dataFile}.lock`, JSON.stringify(lock));
    await assert.rejects(startEmulator({ port: 0, dataFile }), (e: unknown) => e instanceof DataFileInUseError && /on host not-/.test(e.message));
    assert.equal(await exists(dataFile), false, 'nothing was written');
  });
});

describe('a stale lock (its process is gone)', () => {
  it('left by a killed emulator process is recovered, with the data', async () => {
    const dataFile = fresh('killed');
    const first = spawnCli(['--port', '0', '--data-file', dataFile, ...cliAuth]);
    const url = await firstUrl(first);
    const created = await sendRequest<User>(url, 'POST', '/api/v1/users', { body: { firstName: 'Killed', lastName: 'Midway' } });
    assert.equal(created.status, 201);
    await stop(first.child, 'SIGKILL');
    const stale = JSON.parse(await readFile(`${dataFile}.lock`, 'utf8')) as { pid: number };
    assert.equal(stale.pid, first.child.pid, 'SIGKILL leaves the lock behind');

    const second = await startTestEmulator({ dataFile });
    try {
      assert.ok((await usersOn(second.url)).includes(created.body.id ?? ''));
      const lock = JSON.parse(await readFile(`${dataFile}.lock`, 'utf8')) as { pid: number };
      assert.equal(lock.pid, process.pid, 'the lock is now this process’s');
    } finally {
      await second.close();
    }
  });

  it('with a dead PID written by hand is recovered; several starters racing for it end with exactly one holder', async () => {
    for (let round = 0; round < 5; round++) {
      const dataFile = fresh('dead-pid');
      await writeFile(`${dataFile}.lock`, JSON.stringify({ pid: await deadPid(), hostname: hostname(), since: new Date(0).toISOString(), token: 'old' }));
      const results = await Promise.allSettled(Array.from({ length: 6 }, () => startEmulator({ port: 0, dataFile })));
      const started = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
      try {
        assert.equal(started.length, 1, results.map((r) => (r.status === 'rejected' ? String(r.reason) : 'started')).join('\n'));
        for (const r of results) if (r.status === 'rejected') assert.ok(r.reason instanceof DataFileInUseError, String(r.reason));
      } finally {
        await Promise.all(started.map((emulator) => emulator.close()));
      }
      assert.equal(await exists(`${dataFile}.lock`), false);
      assert.equal(await exists(`${dataFile}.lock.recovering`), false);
    }
  });

  it('a process that exits without closing its emulator removes its lock', async () => {
    const dataFile = fresh('exit');
    const script = `import { startEmulator } from './src/emulator/index.ts'; await startEmulator({ port: 0, dataFile: ${JSON.stringify(dataFile)} }); process.exit(0);`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, stdio: 'ignore' });
    assert.equal(await exitCode(child), 0);
    assert.equal(await exists(dataFile), true);
    assert.equal(await exists(`${dataFile}.lock`), false);
  });
});

describe('a data file with wrong shapes', () => {
  /** A valid state from a real run, to break one value at a time. */
  let valid: Record<string, unknown>;
  before(async () => {
    const dataFile = fresh('valid');
    const t = await startTestEmulator({ dataFile });
    const user = await createUser(t);
    await t.request('PUT', `/api/v1/users/${user.id}/tags`, { body: { tags: { plan: 'pro' } } });
    const tx = await t.request<{ tx: string }>('POST', `/api/v1/users/${user.id}/register`);
    await t.request('GET', `/api/v1/transactions/${tx.body.tx}/webauthn`);
    await t.close();
    valid = JSON.parse(await readFile(dataFile, 'utf8')) as Record<string, unknown>;
  });

  type State = { accountUserId: string; users: Record<string, unknown>[]; passkeys: unknown[]; transactions: Record<string, unknown>[]; audits: Record<string, unknown>[] };
  const cases: [string, (s: State) => void, RegExp][] = [
    ['users: [null]', (s) => (s.users = [null as unknown as Record<string, unknown>]), /users\[0\] must be an object, got null/],
    ['a user’s firstName is a number', (s) => (s.users[1]!.firstName = 42), /users\[1\]\.firstName must be a string, got 42/],
    ['tags are null', (s) => (s.users[1]!.tags = null), /users\[1\]\.tags must be an object of strings, got null/],
    ['a tag value is a number', (s) => (s.users[1]!.tags = { plan: 3 }), /users\[1\]\.tags\.plan must be a string, got 3/],
    ['hasPasskeys is "yes"', (s) => (s.users[0]!.hasPasskeys = 'yes'), /users\[0\]\.hasPasskeys must be true or false, got "yes"/],
    ['createdAt is not a time', (s) => (s.users[0]!.createdAt = 'yesterday'), /users\[0\]\.createdAt must be an ISO 8601 UTC time/],
    ['role is unknown', (s) => (s.users[0]!.role = 'root'), /users\[0\]\.role must be one of admin, user, super_admin, got "root"/],
    ['passkeys is an object', (s) => (s.passkeys = {} as unknown[]), /passkeys must be an array, got an object/],
    ['a passkey counter is negative', (s) => (s.passkeys = [{ id: 'a', userId: s.accountUserId, publicKey: 'b', counter: -1, createdAt: new Date().toISOString() }]), /passkeys\[0\]\.counter must be an integer ≥ 0, got -1/],
    ['a TX state is unknown', (s) => (s.transactions[0]!.state = 'done'), /transactions\[0\]\.state must be one of pending, verified, denied, cancelled/],
    ['a TX expiresAt is a number', (s) => (s.transactions[0]!.expiresAt = 0), /transactions\[0\]\.expiresAt must be an ISO 8601 UTC time, got 0/],
    ['a TX ceremony has no options', (s) => ((s.transactions[0]!.ceremony as Record<string, unknown>).options = 'x'), /transactions\[0\]\.ceremony\.options must be an object, got "x"/],
    ['a notification secret is a number', (s) => (s.transactions[0]!.notification = { secret: 7, channels: ['email'] }), /transactions\[0\]\.notification\.secret must be a string, got 7/],
    ['a notification channel is unknown', (s) => (s.transactions[0]!.notification = { secret: 'x', channels: ['fax'] }), /transactions\[0\]\.notification\.channels\[0\] must be one of email, sms, got "fax"/],
    ['an audit action is unknown', (s) => (s.audits[0]!.action = 'explode'), /audits\[0\]\.action must be one of create, /],
    ['audits is missing', (s) => delete (s as Partial<State>).audits, /audits must be an array, got undefined/],
    ['the account user is missing', (s) => (s.accountUserId = randomUUID()), /accountUserId "[0-9a-f-]+" must be the id of a user that is not deleted/],
    ['two users share an id', (s) => (s.users[1]!.id = s.users[0]!.id), /users\[1\]\.id repeats users\[0\]\.id/],
    ['version 2', (s) => Object.assign(s, { version: 2 }), /version must be one of 1, got 2/],
  ];

  it('is refused by startEmulator, naming the path of the bad value, and left untouched (and unlocked)', async () => {
    for (const [name, breakIt, message] of cases) {
      const state = structuredClone(valid) as State;
      breakIt(state);
      const dataFile = fresh('broken');
      const text = JSON.stringify(state);
      await writeFile(dataFile, text);
      await assert.rejects(startEmulator({ port: 0, dataFile }), (e: unknown) => {
        assert.match((e as Error).message, /^Emulator data file .* is not a valid emulator state/, name);
        assert.match((e as Error).message, message, name);
        return true;
      });
      assert.equal(await readFile(dataFile, 'utf8'), text, `${name}: the file is as it was`);
      assert.equal(await exists(`${dataFile}.lock`), false, `${name}: no lock left behind`);
    }
  });

  it('lists several problems at once', async () => {
    const state = structuredClone(valid) as State;
    state.users = [null as unknown as Record<string, unknown>, 7 as unknown as Record<string, unknown>];
    state.transactions = 'none' as unknown as Record<string, unknown>[];
    const dataFile = fresh('several');
    await writeFile(dataFile, JSON.stringify(state));
    await assert.rejects(startEmulator({ port: 0, dataFile }), /users\[0\] must be an object, got null; users\[1\] must be an object, got 7; transactions must be an array/);
  });

  it('is refused by the CLI at start: exit code 1, the problem on stderr', async () => {
    const dataFile = fresh('cli-broken');
    await writeFile(dataFile, JSON.stringify({ ...valid, users: [null] }));
    const cli = spawnCli(['--port', '0', '--data-file', dataFile]);
    assert.equal(await exitCode(cli.child), 1);
    assert.match(cli.stderr(), /^sendauth-emulator: Emulator data file .*cli-broken.* is not a valid emulator state \(version 1\): users\[0\] must be an object, got null/);
  });

  it('the valid original still starts', async () => {
    const dataFile = fresh('valid-again');
    await writeFile(dataFile, JSON.stringify(valid));
    const emulator = await startEmulator({ port: 0, dataFile });
    await emulator.close();
  });
});
