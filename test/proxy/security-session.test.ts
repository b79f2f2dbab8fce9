/**
 * Security rules: the site session decides who register, me and me/passkey
 * act for; signup is off unless allowed, and takes no more than email,
 * firstName and lastName.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import { createSendAuthProxy } from '../../src/proxy/index.js';
import { apiClient, call, countingFetch, createUserWithPasskey, expectError, expectStart } from '../support/proxy-fixture.js';
import { client, emu, setup, useEmulator } from '../support/proxy-security-fixture.js';

useEmulator();

describe('the site session', () => {
  test('register, me and me/passkey without a session user are 401 unauthorized, before SendAuth', async () => {
    const counting = countingFetch();
    const { handler } = setup({ sendauth: apiClient(emu, { fetch: counting.fetch }), getSessionUserId: (r) => r.headers.get('x-nobody') ?? '' });
    await expectError(await call(handler, '/register', { body: {} }), 401, 'unauthorized');
    await expectError(await call(handler, '/me'), 401, 'unauthorized');
    await expectError(await call(handler, '/me/passkey', { method: 'DELETE' }), 401, 'unauthorized');
    // A proxy without getSessionUserId at all has no session either.
    const bare = createSendAuthProxy({ sendauth: apiClient(emu, { fetch: counting.fetch }) });
    await expectError(await call(bare, '/register', { body: {} }), 401, 'unauthorized');
    await expectError(await call(bare, '/me'), 401, 'unauthorized');
    await expectError(await call(bare, '/me/passkey', { method: 'DELETE' }), 401, 'unauthorized');
    assert.deepEqual(counting.requests, []);
  });

  test('a session user id that is not a UUID is the site’s misconfiguration: 500 upstream and onError, not the visitor’s 400', async () => {
    const counting = countingFetch();
    const { handler, errors } = setup({ sendauth: apiClient(emu, { fetch: counting.fetch }), getSessionUserId: () => 'user-42' });
    for (const [path, init] of [['/register', { body: {} }], ['/me', {}], ['/me/passkey', { method: 'DELETE' }]] as const) {
      const { error } = await expectError(await call(handler, path, init), 500, 'upstream');
      assert.match(error.message, /configuration/);
    }
    assert.equal(errors.length, 3);
    assert.deepEqual(counting.requests, [], 'nothing reached SendAuth');
  });

  test('me/passkey acts only on the session user', async () => {
    const { handler } = setup();
    const me = await createUserWithPasskey(client);
    const other = await createUserWithPasskey(client);
    const answer = await call(handler, `/me/passkey?userId=${other.id}`, { method: 'DELETE', session: me.id, body: { userId: other.id } });
    assert.equal(answer.status, 200);
    assert.equal((await client.getUser(me.id)).hasPasskeys, false);
    assert.equal((await client.getUser(other.id)).hasPasskeys, true);
  });
});

describe('signup', () => {
  const person = () => ({ email: `${randomUUID()}@example.test`, firstName: 'Ada', lastName: 'Lovelace' });

  async function usersWithEmail(email: string): Promise<number> {
    return (await client.listUsers({ q: email })).total + (await client.listDeletedUsers({ q: email })).total;
  }

  test('is 404 unless allowSignup is true, creates nobody and asks SendAuth nothing', async () => {
    const counting = countingFetch();
    for (const allowSignup of [undefined, false]) {
      const { handler } = setup({ sendauth: apiClient(emu, { fetch: counting.fetch }), ...(allowSignup === undefined ? {} : { allowSignup }) });
      const body = person();
      const answer = await call(handler, '/signup', { body });
      assert.equal(answer.headers.get('allow'), null);
      await expectError(answer, 404, 'invalid-request');
      assert.equal(await usersWithEmail(body.email), 0);
    }
    assert.deepEqual(counting.requests, []);
  });

  test('with fields beyond email, firstName, lastName is 400 and creates nobody', async () => {
    const counting = countingFetch();
    const { handler } = setup({ allowSignup: true, sendauth: apiClient(emu, { fetch: counting.fetch }) });
    const extras: Array<Record<string, unknown>> = [
      { role: 'super_admin', permissions: ['users:write', 'admin'] },
      { role: 'super_admin' },
      { role: 'admin' },
      { permissions: ['admin'] },
      { groupPermissions: ['admin'] },
      { permissionGroups: [randomUUID()] },
      { company: { name: 'Evil Corp' } },
      { hasPasskeys: true },
      { id: randomUUID() },
      { username: 'root' },
      { phone: '+15551234' },
    ];
    for (const extra of extras) {
      const body = { ...person(), ...extra };
      await expectError(await call(handler, '/signup', { body }), 400, 'invalid-request');
      assert.equal(await usersWithEmail(body.email), 0, JSON.stringify(extra));
    }
    assert.deepEqual(counting.requests, []);

    // The same person without the extras is welcome, as a plain user.
    const body = person();
    await expectStart(await call(handler, '/signup', { body }), 'registration');
    const [created] = (await client.listUsers({ q: body.email })).rows;
    assert.ok(created);
    assert.ok(created.role === undefined || created.role === 'user', `role ${created.role}`);
    assert.equal(created.permissions, undefined);
  });
});
