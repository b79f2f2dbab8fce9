/**
 * The wire protocol of DESIGN.md, end to end: element-shaped requests →
 * proxy → the running emulator, with a software authenticator doing the
 * WebAuthn part for real.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createSendAuthProxy, type VerifiedEvent } from '../../src/proxy/index.js';
import type { MeResult, RemovePasskeyResult, TxStateResult, VerifyResult } from '../../src/wire.js';
import {
  apiClient,
  call,
  client,
  createUser,
  createUserWithPasskey,
  expectError,
  expectStart,
  manualClock,
  ORIGIN,
  proxyFactory,
  readJson,
  SoftAuthenticator,
  startTestEmulator,
  useEmulator,
} from '../support/proxy-fixture.js';

useEmulator();

/** A proxy as a site configures it, recording what `onVerified` received; it sets no cookies. */
const setup = proxyFactory();

async function expectVerified(response: Response, expected: VerifyResult): Promise<void> {
  const body = await readJson<VerifyResult>(response);
  assert.equal(response.status, 200, JSON.stringify(body));
  assert.deepEqual(body, expected);
  assert.equal(response.headers.get('cache-control'), 'no-store');
}

describe('signup', () => {
  test('creates the user, enrols a passkey, calls onVerified once and sets its cookies', async () => {
    const signingUp = proxyFactory((event) => {
      const headers = new Headers();
      headers.append('Set-Cookie', `sid=${event.userId}; Path=/; HttpOnly; SameSite=Lax`);
      headers.append('Set-Cookie', 'signed_in=1; Path=/; SameSite=Lax');
      headers.set('X-Site-Session', 'opened');
      return headers;
    });
    const { handler, verified } = signingUp({ allowSignup: true });
    const email = `${crypto.randomUUID()}@example.test`;

    const started = await call(handler, '/signup', { body: { email, firstName: 'Ada', lastName: 'Lovelace' } });
    assert.equal(started.headers.get('cache-control'), 'no-store');
    const start = await expectStart(started, 'registration');
    if (start.kind !== 'registration') throw new Error('unreachable');
    assert.equal(start.options.rp.id, 'localhost');

    // The user exists at SendAuth with exactly the fields sent, and no passkey yet.
    const { rows } = await client.listUsers({ q: email });
    assert.equal(rows.length, 1);
    const user = rows[0]!;
    assert.ok(user.id);
    assert.deepEqual([user.email, user.firstName, user.lastName, user.hasPasskeys], [email, 'Ada', 'Lovelace', false]);
    assert.notEqual(user.role, 'super_admin');
    assert.equal(user.permissions, undefined);
    assert.deepEqual(await client.checkTransaction(start.tx), { state: 'pending' });

    const authenticator = new SoftAuthenticator({ origin: ORIGIN });
    const answer = await call(handler, `/tx/${start.tx}/verify`, { body: await authenticator.register(start.options) });
    assert.deepEqual(answer.headers.getSetCookie(), [
      `sid=${user.id}; Path=/; HttpOnly; SameSite=Lax`,
      'signed_in=1; Path=/; SameSite=Lax',
    ]);
    assert.equal(answer.headers.get('x-site-session'), 'opened');
    await expectVerified(answer, { state: 'verified', kind: 'registration', userId: user.id });

    assert.equal(verified.length, 1);
    const [event] = verified;
    assert.deepEqual({ userId: event!.userId, kind: event!.kind, tx: event!.tx }, { userId: user.id, kind: 'registration', tx: start.tx });
    assert.ok(event!.request instanceof Request);
    assert.equal(new URL(event!.request.url).pathname, `/sendauth/tx/${start.tx}/verify`);

    assert.equal((await client.getUser(user.id)).hasPasskeys, true);
    assert.deepEqual(await client.checkTransaction(start.tx), { state: 'verified' });
  });

  test('an email that already has an account is refused and nothing is started', async () => {
    const { handler } = setup({ allowSignup: true });
    const existing = await createUser(client);
    const answer = await call(handler, '/signup', { body: { email: existing.email.toUpperCase(), firstName: 'Ada', lastName: 'Byron' } });
    await expectError(answer, 409, 'already-exists');
    assert.equal((await client.getUserTransactions(existing.id)).total, 0);
  });
});

describe('authenticate', () => {
  for (const [name, pick] of [
    ['email', (u: { email: string }) => ({ username: u.email })],
    ['email in other letter case, padded', (u: { email: string }) => ({ username: `  ${u.email.toUpperCase()} ` })],
    ['userId', (u: { id: string }) => ({ userId: u.id })],
    ['userId in upper case', (u: { id: string }) => ({ userId: u.id.toUpperCase() })],
  ] as const) {
    test(`by ${name}: start, ceremony, verify, onVerified`, async () => {
      const { handler, verified } = setup();
      const user = await createUserWithPasskey(client);

      const start = await expectStart(await call(handler, '/authenticate', { body: pick(user) }), 'authentication');
      if (start.kind !== 'authentication') throw new Error('unreachable');
      assert.deepEqual(
        start.options.allowCredentials?.map((c) => c.id),
        user.authenticator.credentials.map((c) => c.id),
      );

      const answer = await call(handler, `/tx/${start.tx}/verify`, { body: await user.authenticator.authenticate(start.options) });
      await expectVerified(answer, { state: 'verified', kind: 'authentication', userId: user.id });
      assert.deepEqual(answer.headers.getSetCookie(), []);
      assert.deepEqual(
        verified.map(({ userId, kind, tx }) => ({ userId, kind, tx })),
        [{ userId: user.id, kind: 'authentication', tx: start.tx }],
      );
      assert.deepEqual(await client.checkTransaction(start.tx), { state: 'verified' });
    });
  }

  test('matches a username too, not only an email (a user without an email, username first.last)', async () => {
    const { handler } = setup({ resolveUser: undefined });
    // No email: the emulator derives the username from the names, so only a username match can find them.
    const lastName = `Lovelace${crypto.randomUUID().slice(0, 8)}`;
    const created = await client.createUser({ firstName: 'Ada', lastName });
    const { tx } = await client.registerUser(created.id!);
    const ceremony = await client.getCeremony(tx);
    assert.equal(ceremony.kind, 'registration');
    await client.completeCeremony(tx, await new SoftAuthenticator({ origin: ORIGIN }).register(ceremony.options));
    const { username, email } = await client.getUser(created.id!);
    assert.equal(email, undefined);
    assert.equal(username, `ada.${lastName.toLowerCase()}`);
    const start = await expectStart(await call(handler, '/authenticate', { body: { username: username!.toUpperCase() } }), 'authentication');
    const [transaction] = (await client.getUserTransactions(created.id!)).rows;
    assert.equal(transaction?.id, start.tx);
  });

  test('does not take a partial match of the name for the user', async () => {
    const { handler } = setup();
    const user = await createUserWithPasskey(client);
    await expectError(await call(handler, '/authenticate', { body: { username: user.email.slice(1) } }), 404, 'no-passkey');
    await expectError(await call(handler, '/authenticate', { body: { username: user.email.split('@')[0]! } }), 404, 'no-passkey');
  });

  test(
    'finds the exact user even when more than a page of users contain the name',
    async () => {
      const { handler } = setup();
      const tag = crypto.randomUUID().slice(0, 8);
      const email = `al-${tag}@example.test`;
      // 100 others whose email contains the user's whole email ("0al-…@example.test"), created first.
      for (let i = 0; i < 100; i += 1) await client.createUser({ firstName: 'Other', lastName: `Person${i}`, email: `${i}${email}` });
      const user = await client.createUser({ firstName: 'Alan', lastName: 'Turing', email });
      assert.ok(user.id);
      const { tx } = await client.registerUser(user.id);
      const ceremony = await client.getCeremony(tx);
      if (ceremony.kind !== 'registration') throw new Error('unreachable');
      await client.completeCeremony(tx, await new SoftAuthenticator({ origin: ORIGIN }).register(ceremony.options));
      await expectStart(await call(handler, '/authenticate', { body: { username: email.toUpperCase() } }), 'authentication');
    },
  );

  test('a custom resolveUser decides who a name is', async () => {
    const user = await createUserWithPasskey(client);
    const asked: string[] = [];
    const { handler } = setup({
      resolveUser: (name) => {
        asked.push(name);
        return name === 'alan' ? user.id : undefined;
      },
    });
    const start = await expectStart(await call(handler, '/authenticate', { body: { username: 'alan' } }), 'authentication');
    assert.deepEqual(await client.checkTransaction(start.tx), { state: 'pending' });
    await expectError(await call(handler, '/authenticate', { body: { username: 'bob' } }), 404, 'no-passkey');
    assert.deepEqual(asked, ['alan', 'bob']);
  });
  test('an onVerified that throws gives a 500 error answer without cookies, and onError hears of it', async () => {
    const reported: unknown[] = [];
    const handler = createSendAuthProxy({
      sendauth: client,
      onVerified: () => {
        throw new Error('session store down at /srv/site/session.js:10:5');
      },
      onError: (error) => void reported.push(error),
    });
    const user = await createUserWithPasskey(client);
    const start = await expectStart(await call(handler, '/authenticate', { body: { userId: user.id } }), 'authentication');
    if (start.kind !== 'authentication') throw new Error('unreachable');
    const answer = await call(handler, `/tx/${start.tx}/verify`, { body: await user.authenticator.authenticate(start.options) });
    assert.deepEqual(answer.headers.getSetCookie(), []);
    const { error } = await expectError(answer, 500);
    assert.doesNotMatch(error.message, /session store|srv/);
    assert.equal(reported.length, 1);
    assert.match(String(reported[0]), /session store down/);
  });
});

describe('register', () => {
  test('enrols a passkey for the signed-in user who has none', async () => {
    const { handler, verified } = setup();
    const user = await createUser(client);
    const authenticator = new SoftAuthenticator({ origin: ORIGIN });

    const start = await expectStart(await call(handler, '/register', { body: {}, session: user.id }), 'registration');
    if (start.kind !== 'registration') throw new Error('unreachable');
    assert.equal(start.options.user.name, user.email);

    const answer = await call(handler, `/tx/${start.tx}/verify`, { body: await authenticator.register(start.options), session: user.id });
    await expectVerified(answer, { state: 'verified', kind: 'registration', userId: user.id });
    assert.deepEqual(
      verified.map(({ userId, kind, tx }) => ({ userId, kind, tx })),
      [{ userId: user.id, kind: 'registration', tx: start.tx }],
    );
    assert.equal((await client.getUser(user.id)).hasPasskeys, true);

    // The new passkey signs in.
    const signIn = await expectStart(await call(handler, '/authenticate', { body: { userId: user.id } }), 'authentication');
    if (signIn.kind !== 'authentication') throw new Error('unreachable');
    const again = await call(handler, `/tx/${signIn.tx}/verify`, { body: await authenticator.authenticate(signIn.options) });
    await expectVerified(again, { state: 'verified', kind: 'authentication', userId: user.id });
  });

  test('an empty body is the same as {}', async () => {
    const { handler } = setup();
    const user = await createUser(client);
    await expectStart(await call(handler, '/register', { method: 'POST', session: user.id }), 'registration');
  });

  test('a user who already has a passkey gets already-registered', async () => {
    const { handler } = setup();
    const user = await createUserWithPasskey(client);
    await expectError(await call(handler, '/register', { body: {}, session: user.id }), 409, 'already-registered');
  });
});

describe('transaction status and cancel', () => {
  test('GET tx/{tx} follows the TX from pending to verified', async () => {
    const { handler } = setup();
    const user = await createUserWithPasskey(client);
    const start = await expectStart(await call(handler, '/authenticate', { body: { userId: user.id } }), 'authentication');
    if (start.kind !== 'authentication') throw new Error('unreachable');

    const pending = await call(handler, `/tx/${start.tx}`);
    assert.equal(pending.status, 200);
    assert.equal(pending.headers.get('cache-control'), 'no-store');
    assert.deepEqual(await readJson<TxStateResult>(pending), { state: 'pending' });

    await call(handler, `/tx/${start.tx}/verify`, { body: await user.authenticator.authenticate(start.options) });
    const done = await call(handler, `/tx/${start.tx.toUpperCase()}`);
    assert.equal(done.status, 200);
    assert.deepEqual(await readJson<TxStateResult>(done), { state: 'verified' });
  });

  test('DELETE tx/{tx} cancels at SendAuth; the TX can no longer be verified', async () => {
    const { handler, verified } = setup();
    const user = await createUserWithPasskey(client);
    const start = await expectStart(await call(handler, '/authenticate', { body: { userId: user.id } }), 'authentication');
    if (start.kind !== 'authentication') throw new Error('unreachable');

    const cancelled = await call(handler, `/tx/${start.tx}`, { method: 'DELETE', body: { proof: start.proof } });
    assert.equal(cancelled.status, 200);
    assert.deepEqual(await readJson<TxStateResult>(cancelled), { state: 'cancelled' });
    assert.deepEqual(await client.checkTransaction(start.tx), { state: 'cancelled' });
    assert.deepEqual(await readJson<TxStateResult>(await call(handler, `/tx/${start.tx}`)), { state: 'cancelled' });

    // Cancelling twice is harmless.
    const again = await call(handler, `/tx/${start.tx}`, { method: 'DELETE', body: { proof: start.proof } });
    assert.equal(again.status, 200);
    assert.deepEqual(await readJson<TxStateResult>(again), { state: 'cancelled' });

    const late = await call(handler, `/tx/${start.tx}/verify`, { body: await user.authenticator.authenticate(start.options) });
    await expectError(late, 409, 'cancelled');
    assert.equal(verified.length, 0);
  });

  test('DELETE of a verified TX is refused and leaves it verified', async () => {
    const { handler } = setup();
    const user = await createUserWithPasskey(client);
    const start = await expectStart(await call(handler, '/authenticate', { body: { userId: user.id } }), 'authentication');
    if (start.kind !== 'authentication') throw new Error('unreachable');
    await call(handler, `/tx/${start.tx}/verify`, { body: await user.authenticator.authenticate(start.options) });
    await expectError(await call(handler, `/tx/${start.tx}`, { method: 'DELETE', body: { proof: start.proof } }), 409, 'invalid-request');
    assert.deepEqual(await client.checkTransaction(start.tx), { state: 'verified' });
  });

  test('an expired TX reports expired and cannot be verified', async () => {
    const clock = manualClock();
    const timed = await startTestEmulator({ now: clock.now, txTtlMs: 60_000 });
    try {
      const timedClient = apiClient(timed);
      const verified: VerifiedEvent[] = [];
      const handler = createSendAuthProxy({ sendauth: timedClient, onVerified: (e) => void verified.push(e), now: clock.now });
      const user = await createUserWithPasskey(timedClient);
      const start = await expectStart(await call(handler, '/authenticate', { body: { userId: user.id } }), 'authentication');
      if (start.kind !== 'authentication') throw new Error('unreachable');
      const response = await user.authenticator.authenticate(start.options);

      clock.advance(61_000);
      assert.deepEqual(await readJson<TxStateResult>(await call(handler, `/tx/${start.tx}`)), { state: 'expired' });
      await expectError(await call(handler, `/tx/${start.tx}/verify`, { body: response }), 410, 'tx-expired');
      assert.equal(verified.length, 0);
    } finally {
      await timed.close();
    }
  });
});

describe('me', () => {
  test('GET me describes the signed-in user: id, email, first and last name, whether they have a passkey', async () => {
    const { handler } = setup();
    const user = await createUser(client, 'Katherine');
    const answer = await call(handler, '/me', { session: user.id });
    assert.equal(answer.status, 200);
    assert.equal(answer.headers.get('cache-control'), 'no-store');
    assert.deepEqual(await readJson<MeResult>(answer), {
      userId: user.id,
      email: user.email,
      firstName: 'Katherine',
      lastName: user.lastName,
      hasPasskeys: false,
    });

    const withPasskey = await createUserWithPasskey(client, 'Dorothy');
    assert.deepEqual(await readJson<MeResult>(await call(handler, '/me', { session: withPasskey.id })), {
      userId: withPasskey.id,
      email: withPasskey.email,
      firstName: 'Dorothy',
      lastName: withPasskey.lastName,
      hasPasskeys: true,
    });
  });

  test('DELETE me/passkey removes the passkeys; a later sign-in is no-passkey', async () => {
    const { handler } = setup();
    const user = await createUserWithPasskey(client);

    const answer = await call(handler, '/me/passkey', { method: 'DELETE', session: user.id });
    assert.equal(answer.status, 200);
    assert.deepEqual(await readJson<RemovePasskeyResult>(answer), { hasPasskeys: false });
    assert.equal((await client.getUser(user.id)).hasPasskeys, false);
    assert.equal((await readJson<MeResult>(await call(handler, '/me', { session: user.id }))).hasPasskeys, false);

    await expectError(await call(handler, '/authenticate', { body: { username: user.email } }), 404, 'no-passkey');
    await expectError(await call(handler, '/authenticate', { body: { userId: user.id } }), 404, 'no-passkey');
    assert.equal((await client.getUserTransactions(user.id)).rows.filter((t) => t.state === 'pending').length, 0);
  });
});
