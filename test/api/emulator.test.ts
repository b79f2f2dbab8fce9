/**
 * `SendAuthClient` against the local SendAuth emulator: every operation's
 * success path and each documented error status, and whole WebAuthn
 * ceremonies with the software authenticator.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { startEmulator } from '../../src/emulator/index.js';
import { SendAuthClient } from '../../src/api/index.js';
import type { CeremonyOptions, PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON, UserInput } from '../../src/types.js';
import { SoftAuthenticator } from '../support/soft-authenticator.js';
import { PASSWORD, USERNAME, rejectsWith } from './helpers.js';

const ORIGIN = 'http://localhost:5173';
const FIVE_MINUTES = 5 * 60_000;

let clock = Date.now();
let emulator: Awaited<ReturnType<typeof startEmulator>>;
let client: SendAuthClient;

before(async () => {
  emulator = await startEmulator({ port: 0, username: USERNAME, password: PASSWORD, now: () => clock });
  client = new SendAuthClient({ baseUrl: emulator.url, username: USERNAME, password: PASSWORD, timeoutMs: 5_000 });
});
after(() => emulator.close());

const unknownId = () => randomUUID();

function newUser(change: Partial<UserInput> = {}): UserInput {
  const tag = randomUUID().slice(0, 8);
  return { firstName: 'Ada', lastName: `Lovelace-${tag}`, email: `ada-${tag}@example.com`, ...change };
}

function registrationOptions(ceremony: CeremonyOptions): PublicKeyCredentialCreationOptionsJSON {
  assert.equal(ceremony.kind, 'registration');
  return ceremony.options as PublicKeyCredentialCreationOptionsJSON;
}

function authenticationOptions(ceremony: CeremonyOptions): PublicKeyCredentialRequestOptionsJSON {
  assert.equal(ceremony.kind, 'authentication');
  return ceremony.options as PublicKeyCredentialRequestOptionsJSON;
}

/** A new user with one passkey on `authenticator`, registered through the client. */
async function userWithPasskey(authenticator: SoftAuthenticator): Promise<string> {
  const { id } = await client.createUser(newUser());
  assert.ok(id);
  const { tx } = await client.registerUser(id);
  const options = registrationOptions(await client.getCeremony(tx));
  assert.deepEqual(await client.completeCeremony(tx, await authenticator.register(options)), { state: 'verified' });
  return id;
}

describe('users', () => {
  test('createUser, getUser; read-only fields sent are ignored', async () => {
    const input = newUser({ phone: '+15550100', role: 'user', messagingPreference: 'email', permissions: ['reports:read'] });
    const sentId = randomUUID();
    const created = await client.createUser({ ...input, id: sentId, hasPasskeys: true } as UserInput);
    assert.ok(created.id && created.id !== sentId);
    assert.equal(created.hasPasskeys, false);
    assert.equal(created.email, input.email);
    assert.deepEqual(await client.getUser(created.id), created);
  });

  test('createUser: 422 duplicate email → already-exists, 403 super_admin → forbidden', async () => {
    const input = newUser();
    await client.createUser(input);
    await rejectsWith(client.createUser({ ...newUser(), email: input.email }), { code: 'already-exists', status: 422, operation: 'createUser' });
    await rejectsWith(client.createUser(newUser({ role: 'super_admin' })), { code: 'forbidden', status: 403, operation: 'createUser' });
  });

  test('getUser: 404 → user-not-found', async () => {
    await rejectsWith(client.getUser(unknownId()), {
      code: 'user-not-found',
      status: 404,
      message: /^SendAuth answered 404 \(user not found\): GET \/api\/v1\/users\/[0-9a-f-]{36} \(getUser\); SendAuth said: "User not found"$/,
    });
  });

  test('updateUser: 200, 403 super_admin, 404, 422 taken email', async () => {
    const user = await client.createUser(newUser());
    const other = await client.createUser(newUser());
    assert.ok(user.id);
    const updated = await client.updateUser(user.id, { ...user, firstName: 'Augusta' });
    assert.equal(updated.firstName, 'Augusta');
    assert.equal((await client.getUser(user.id)).firstName, 'Augusta');
    await rejectsWith(client.updateUser(user.id, { ...user, role: 'super_admin' }), { code: 'forbidden', status: 403 });
    await rejectsWith(client.updateUser(unknownId(), newUser()), { code: 'user-not-found', status: 404 });
    await rejectsWith(client.updateUser(user.id, { ...user, email: other.email }), { code: 'invalid-request', status: 422, operation: 'updateUser' });
  });

  test('listUsers: q, perPage, sortBy/sortDir', async () => {
    const lastName = `Babbage-${randomUUID().slice(0, 8)}`;
    const a = await client.createUser(newUser({ firstName: 'Aaron', lastName }));
    const b = await client.createUser(newUser({ firstName: 'Zelda', lastName }));
    const all = await client.listUsers({ q: lastName, sortBy: 'firstName', sortDir: 'asc' });
    assert.equal(all.total, 2);
    assert.deepEqual(all.rows.map((u) => u.id), [a.id, b.id]);
    const desc = await client.listUsers({ q: lastName, sortBy: 'firstName', sortDir: 'desc', perPage: 1 });
    assert.deepEqual({ total: desc.total, ids: desc.rows.map((u) => u.id) }, { total: 2, ids: [b.id] });
    const page2 = await client.listUsers({ q: lastName, sortBy: 'firstName', sortDir: 'desc', perPage: 1, page: 2 });
    assert.deepEqual(page2.rows.map((u) => u.id), [a.id]);
    assert.ok((await client.listUsers()).total >= 3);
  });

  test('deleteUser → listDeletedUsers → restoreUser; deleteUser → destroyUser', async () => {
    const { id } = await client.createUser(newUser());
    assert.ok(id);
    await client.deleteUser(id);
    await rejectsWith(client.getUser(id), { code: 'user-not-found', status: 404 });
    assert.ok((await client.listDeletedUsers({ perPage: 100 })).rows.some((u) => u.id === id));
    await client.restoreUser(id);
    assert.equal((await client.getUser(id)).id, id);
    assert.ok(!(await client.listDeletedUsers({ perPage: 100 })).rows.some((u) => u.id === id));

    await client.deleteUser(id);
    await client.destroyUser(id);
    assert.ok(!(await client.listDeletedUsers({ perPage: 100 })).rows.some((u) => u.id === id));
    await rejectsWith(client.destroyUser(id), { code: 'user-not-found', status: 404, operation: 'destroyUser' });
    await rejectsWith(client.restoreUser(id), { code: 'user-not-found', status: 404, operation: 'restoreUser' });
    await rejectsWith(client.deleteUser(id), { code: 'user-not-found', status: 404, operation: 'deleteUser' });
  });

  test("deleteUser: 403 for the API account's own user", async () => {
    await rejectsWith(client.deleteUser(emulator.accountUserId), { code: 'forbidden', status: 403, operation: 'deleteUser' });
  });

  test('setUserTags, getUserAudits', async () => {
    const { id } = await client.createUser(newUser());
    assert.ok(id);
    await client.setUserTags(id, { tags: { plan: 'pro' } });
    const audits = await client.getUserAudits(id);
    assert.ok(audits.total >= 2, JSON.stringify(audits));
    assert.ok(audits.rows.some((a) => a.extras?.plan === 'pro'), JSON.stringify(audits));
    assert.equal((await client.getUserAudits(id, { perPage: 1 })).rows.length, 1);
    await rejectsWith(client.setUserTags(unknownId(), { tags: {} }), { code: 'user-not-found', status: 404 });
    await rejectsWith(client.getUserAudits(unknownId()), { code: 'user-not-found', status: 404 });
  });

  test('registerUser, getUserTransactions; 404s', async () => {
    const { id } = await client.createUser(newUser());
    assert.ok(id);
    const { tx } = await client.registerUser(id);
    const transactions = await client.getUserTransactions(id, { page: 1, perPage: 10 });
    assert.equal(transactions.total, 1);
    assert.deepEqual([transactions.rows[0]?.id, transactions.rows[0]?.state, transactions.rows[0]?.subject], [tx, 'pending', id]);
    await rejectsWith(client.getUserTransactions(unknownId()), { code: 'user-not-found', status: 404 });
    await rejectsWith(client.registerUser(unknownId()), { code: 'user-not-found', status: 404, operation: 'registerUser' });
    await rejectsWith(client.authenticateUser(unknownId()), { code: 'user-not-found', status: 404, operation: 'authenticateUser' });
  });

  test('authenticateUser: 406 without passkeys → no-passkey', async () => {
    const { id } = await client.createUser(newUser());
    assert.ok(id);
    await rejectsWith(client.authenticateUser(id), { code: 'no-passkey', status: 406, message: /\(user has no passkeys\)/ });
  });

  test('wrong credentials: 401 → unauthorized, and the wrong password is nowhere', async () => {
    const wrong = `wrong-${randomUUID()}`;
    const stranger = new SendAuthClient({ baseUrl: emulator.url, username: USERNAME, password: wrong });
    await rejectsWith(stranger.listUsers(), { code: 'unauthorized', status: 401, message: /the API credentials were refused/ }, wrong);
  });
});

describe('transactions and ceremonies', () => {
  test('register a passkey, then sign in with it', async () => {
    const authenticator = new SoftAuthenticator({ origin: ORIGIN });
    const { id } = await client.createUser(newUser());
    assert.ok(id);

    const registration = await client.registerUser(id);
    assert.deepEqual(await client.checkTransaction(registration.tx), { state: 'pending' });
    const creation = await client.getCeremony(registration.tx);
    assert.ok(Date.parse(creation.expiresAt) > clock);
    const options = registrationOptions(creation);
    assert.equal(options.rp.id, 'localhost');
    assert.deepEqual(await client.completeCeremony(registration.tx, await authenticator.register(options)), { state: 'verified' });
    assert.deepEqual(await client.checkTransaction(registration.tx), { state: 'verified' });
    assert.equal((await client.getUser(id)).hasPasskeys, true);
    await rejectsWith(client.registerUser(id), { code: 'already-registered', status: 406, operation: 'registerUser' });

    const authentication = await client.authenticateUser(id, { message: 'Sign in to Example' });
    const request = authenticationOptions(await client.getCeremony(authentication.tx));
    assert.deepEqual(await client.completeCeremony(authentication.tx, await authenticator.authenticate(request)), { state: 'verified' });
    assert.deepEqual(await client.checkTransaction(authentication.tx), { state: 'verified' });
    assert.ok((await client.getUser(id)).lastAuthenticated);

    await client.removeUserPasskey(id);
    assert.equal((await client.getUser(id)).hasPasskeys, false);
    await rejectsWith(client.removeUserPasskey(unknownId()), { code: 'user-not-found', status: 404, operation: 'removeUserPasskey' });
  });

  test('a verified TX: completing or fetching it again → 409 replayed', async () => {
    const authenticator = new SoftAuthenticator({ origin: ORIGIN });
    const id = await userWithPasskey(authenticator);
    const { tx } = await client.authenticateUser(id);
    const credential = await authenticator.authenticate(authenticationOptions(await client.getCeremony(tx)));
    await client.completeCeremony(tx, credential);
    await rejectsWith(client.completeCeremony(tx, credential), { code: 'replayed', status: 409, operation: 'completeCeremony' });
    await rejectsWith(client.getCeremony(tx), { code: 'replayed', status: 409, operation: 'getCeremony' });
  });

  test('a response that fails verification → 400 tx-denied, then 409 tx-denied', async () => {
    const authenticator = new SoftAuthenticator({ origin: ORIGIN });
    const id = await userWithPasskey(authenticator);
    const { tx } = await client.authenticateUser(id);
    const credential = await authenticator.authenticate(authenticationOptions(await client.getCeremony(tx)), { tamper: true });
    await rejectsWith(client.completeCeremony(tx, credential), { code: 'tx-denied', status: 400, operation: 'completeCeremony' });
    assert.deepEqual(await client.checkTransaction(tx), { state: 'denied' });
    await rejectsWith(client.getCeremony(tx), { code: 'tx-denied', status: 409 });
    await rejectsWith(client.completeCeremony(tx, credential), { code: 'tx-denied', status: 409 });
  });

  test('a wrong origin is denied too', async () => {
    const authenticator = new SoftAuthenticator({ origin: ORIGIN });
    const id = await userWithPasskey(authenticator);
    const { tx } = await client.authenticateUser(id);
    const options = authenticationOptions(await client.getCeremony(tx));
    const credential = await authenticator.authenticate(options, { origin: 'https://evil.example' });
    await rejectsWith(client.completeCeremony(tx, credential), { code: 'tx-denied', status: 400 });
  });

  test('a malformed response → 400 invalid-request, and the TX stays pending', async () => {
    const { id } = await client.createUser(newUser());
    assert.ok(id);
    const { tx } = await client.registerUser(id);
    await client.getCeremony(tx);
    // Well-formed enough for the client to send; SendAuth finds the client data is not JSON.
    const malformed = { id: 'abc', rawId: 'abc', type: 'public-key', response: { clientDataJSON: 'AAAA', attestationObject: 'AAAA' }, clientExtensionResults: {} } as never;
    await rejectsWith(client.completeCeremony(tx, malformed), { code: 'invalid-request', status: 400, operation: 'completeCeremony' });
    assert.deepEqual(await client.checkTransaction(tx), { state: 'pending' });
  });

  test('cancelTransaction: 200, then 400 not pending; the ceremony → 409 cancelled', async () => {
    const { id } = await client.createUser(newUser());
    assert.ok(id);
    const { tx } = await client.registerUser(id);
    await client.cancelTransaction(tx);
    assert.deepEqual(await client.checkTransaction(tx), { state: 'cancelled' });
    await rejectsWith(client.cancelTransaction(tx), { code: 'invalid-request', status: 400, operation: 'cancelTransaction' });
    await rejectsWith(client.getCeremony(tx), { code: 'cancelled', status: 409, operation: 'getCeremony' });
  });

  test('unknown TX → 404 tx-not-found everywhere', async () => {
    const tx = randomUUID();
    const credential = {
      id: 'abc',
      rawId: 'abc',
      type: 'public-key',
      response: { clientDataJSON: 'AAAA', authenticatorData: 'AAAA', signature: 'AAAA' },
      clientExtensionResults: {},
    } as never;
    await rejectsWith(client.checkTransaction(tx), { code: 'tx-not-found', status: 404, operation: 'checkTransaction' });
    await rejectsWith(client.cancelTransaction(tx), { code: 'tx-not-found', status: 404, operation: 'cancelTransaction' });
    await rejectsWith(client.getCeremony(tx), { code: 'tx-not-found', status: 404, operation: 'getCeremony' });
    await rejectsWith(client.completeCeremony(tx, credential), { code: 'tx-not-found', status: 404, operation: 'completeCeremony' });
  });

  test('after 5 minutes → 410 tx-expired', async () => {
    const authenticator = new SoftAuthenticator({ origin: ORIGIN });
    const { id } = await client.createUser(newUser());
    assert.ok(id);
    const { tx } = await client.registerUser(id);
    const credential = await authenticator.register(registrationOptions(await client.getCeremony(tx)));
    clock += FIVE_MINUTES + 1_000;
    try {
      assert.deepEqual(await client.checkTransaction(tx), { state: 'expired' });
      await rejectsWith(client.getCeremony(tx), { code: 'tx-expired', status: 410, operation: 'getCeremony' });
      await rejectsWith(client.completeCeremony(tx, credential), { code: 'tx-expired', status: 410, operation: 'completeCeremony' });
      await rejectsWith(client.cancelTransaction(tx), { code: 'invalid-request', status: 400 });
    } finally {
      clock -= FIVE_MINUTES + 1_000;
    }
  });
});
