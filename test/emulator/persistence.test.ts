/** `dataFile`: state survives a restart, and the file on disk is always complete JSON. */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startEmulator } from '../../src/emulator/index.js';
import type { PaginatedAudits, PaginatedUsers, User } from '../../src/types.js';
import { startTestEmulator, TEST_ORIGIN, type TestEmulator } from '../support/emulator-fixture.js';
import { SoftAuthenticator } from '../support/soft-authenticator.js';
import { assertJsonError, createUser, registerPasskey, startAuthentication, txState } from './helpers.js';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sendauth-emulator-'));
});
after(() => rm(dir, { recursive: true, force: true }));

describe('dataFile', () => {
  it('keeps users, deleted users, tags, audits, transactions and passkeys across a restart', async () => {
    const dataFile = join(dir, 'restart.json');
    const authenticator = new SoftAuthenticator({ origin: TEST_ORIGIN });

    const first = await startTestEmulator({ dataFile });
    const user = await createUser(first);
    const gone = await createUser(first);
    await registerPasskey(first, user.id, authenticator);
    await first.request('PUT', `/api/v1/users/${user.id}/tags`, { body: { tags: { plan: 'pro' } } });
    await first.request('DELETE', `/api/v1/users/${gone.id}`);
    const pending = await first.request<{ tx: string }>('POST', `/api/v1/users/${user.id}/authenticate`);
    const accountUserId = first.emulator.accountUserId;
    await first.close();

    const second = await startTestEmulator({ dataFile });
    try {
      assert.equal(second.emulator.accountUserId, accountUserId);
      const got = await second.request<User>('GET', `/api/v1/users/${user.id}`);
      assert.equal(got.status, 200);
      assert.equal(got.body.hasPasskeys, true);
      assert.equal(got.body.email, user.email);
      const deleted = await second.request<PaginatedUsers>('GET', '/api/v1/users/deleted');
      assert.deepEqual(deleted.body.rows.map((u) => u.id), [gone.id]);
      const audits = await second.request<PaginatedAudits>('GET', `/api/v1/users/${user.id}/audits?q=tags`);
      assert.deepEqual(audits.body.rows[0]?.extras, { plan: 'pro' });
      assert.equal(await txState(second, pending.body.tx), 'pending');
      assertJsonError(await second.request('DELETE', `/api/v1/users/${accountUserId}`), 403);

      // The stored passkey still verifies a real assertion, and its counter carried over.
      const { tx, options } = await startAuthentication(second, user.id);
      const ok = await second.request('POST', `/api/v1/transactions/${tx}/webauthn`, { body: await authenticator.authenticate(options) });
      assert.equal(ok.status, 200, ok.text);
      const replay = await startAuthentication(second, user.id);
      const used = authenticator.credentials[0]?.counter ?? 0;
      const denied = await second.request('POST', `/api/v1/transactions/${replay.tx}/webauthn`, {
        body: await authenticator.authenticate(replay.options, { counter: used }),
      });
      assert.equal(assertJsonError(denied, 400).state, 'denied');
    } finally {
      await second.close();
    }
  });

  it('creates the file on start when it is missing', async () => {
    const dataFile = join(dir, 'fresh.json');
    const emulator = await startEmulator({ port: 0, dataFile });
    try {
      const state = JSON.parse(await readFile(dataFile, 'utf8')) as { accountUserId: string; users: { id: string }[] };
      assert.equal(state.accountUserId, emulator.accountUserId);
      assert.deepEqual(state.users.map((u) => u.id), [emulator.accountUserId]);
    } finally {
      await emulator.close();
    }
  });

  it('is complete JSON at every moment of a burst of writes, and leaves no temporary files', async () => {
    const dataFile = join(dir, 'burst.json');
    const t: TestEmulator = await startTestEmulator({ dataFile });
    let reads = 0;
    let writing = true;
    const reader = (async () => {
      while (writing) {
        const text = await readFile(dataFile, 'utf8');
        assert.doesNotThrow(() => JSON.parse(text), 'the data file must never be partial');
        reads++;
      }
    })();
    const created = await Promise.all(Array.from({ length: 40 }, () => createUser(t)));
    writing = false;
    await reader;
    await t.close();

    assert.ok(reads > 0);
    const state = JSON.parse(await readFile(dataFile, 'utf8')) as { users: { id: string }[] };
    for (const user of created) assert.ok(state.users.some((u) => u.id === user.id), 'every acknowledged change is on disk');
    const leftovers = (await readdir(dir)).filter((name) => name.startsWith('burst.json.tmp-'));
    assert.deepEqual(leftovers, []);
  });

  it('refuses to start on a file that is not emulator state, and leaves it untouched', async () => {
    for (const [name, content] of [
      ['broken.json', '{"version":1,"users":['],
      ['other.json', '{"hello":"world"}'],
    ] as const) {
      const dataFile = join(dir, name);
      await writeFile(dataFile, content);
      await assert.rejects(startEmulator({ port: 0, dataFile }), /data file/);
      assert.equal(await readFile(dataFile, 'utf8'), content);
    }
  });
});
