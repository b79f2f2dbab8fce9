/**
 * Step-up approval (`POST approve`, `proxy.confirmApproval`) and the stricter
 * approval limit, against an emulator serving only SendAuth's public spec: the
 * person approves on the respond page with a real assertion.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { RunningEmulator } from '../../src/emulator/index.js';
import type { ApprovalStart, CompleteResult } from '../../src/wire.js';
import { approveOnDevice, denyOnDevice, notificationOf } from '../support/approve-on-device.js';
import { apiClient, call, createUser, expectError, proxyFactory, readJson, SoftAuthenticator, startTestEmulator } from '../support/proxy-fixture.js';

let emulator: RunningEmulator;
before(async () => {
  emulator = await startTestEmulator({ ceremonyEndpoints: false });
});
after(() => emulator.close());

async function userWithPasskey() {
  const sendauth = apiClient(emulator);
  const user = await createUser(sendauth);
  const authenticator = new SoftAuthenticator({ origin: 'http://localhost:5173' });
  await approveOnDevice(emulator, (await sendauth.registerUser(user.id)).tx, authenticator);
  return { ...user, authenticator };
}

function stepUpProxy(options: Parameters<ReturnType<typeof proxyFactory>>[0] = {}) {
  return proxyFactory(() => ({ 'Set-Cookie': 'site-session=opened' }))({
    sendauth: apiClient(emulator),
    rateLimit: false,
    approval: { siteName: 'Acme Shop', pollIntervalMs: 100 },
    ...options,
  });
}

async function approve(proxy: ReturnType<typeof stepUpProxy>, session: string, message: string): Promise<ApprovalStart> {
  const response = await call(proxy.handler, '/approve', { body: { message }, session });
  const body = await readJson<ApprovalStart>(response);
  assert.equal(response.status, 201, JSON.stringify(body));
  return body;
}

describe('POST approve and confirmApproval', () => {
  test('the user approves the action on their device; completion opens no session; the site confirms it once', async () => {
    const user = await userWithPasskey();
    const proxy = stepUpProxy();
    const message = 'Pay €120 to Acme';
    const start = await approve(proxy, user.id, message);
    assert.equal(start.kind, 'approval');
    assert.equal(start.mode, 'approval');
    const entry = await notificationOf(emulator, start.tx);
    assert.match(entry.message, new RegExp(`^Acme Shop asks you to approve: “Pay €120 to Acme” \\(from .+\\)\\. Approve only if Acme Shop shows the code ${start.code}\\.$`));

    assert.equal(await proxy.handler.confirmApproval({ tx: start.tx, userId: user.id, message }), false, 'not approved yet');
    await approveOnDevice(emulator, start.tx, user.authenticator);

    const done = await call(proxy.handler, `/tx/${start.tx}/complete`, { body: { proof: start.proof }, session: user.id });
    assert.deepEqual(await readJson<CompleteResult>(done), { state: 'verified', kind: 'approval', userId: user.id });
    assert.equal(done.headers.get('set-cookie'), null, 'no session opened');
    assert.equal(proxy.verified.length, 0, 'onVerified is not called for a step-up');

    // The site confirms before it acts: another user, another action, or a second time: false.
    assert.equal(await proxy.handler.confirmApproval({ tx: start.tx, userId: crypto.randomUUID(), message }), false);
    assert.equal(await proxy.handler.confirmApproval({ tx: start.tx, userId: user.id, message: 'Pay €1200 to Acme' }), false);
    assert.equal(await proxy.handler.confirmApproval({ tx: start.tx, userId: user.id.toUpperCase(), message }), true);
    assert.equal(await proxy.handler.confirmApproval({ tx: start.tx, userId: user.id, message }), false, 'one action per approval');
  });

  test('confirmation does not need the browser’s completion, and refuses denied, foreign, sign-in and unknown TXs', async () => {
    const user = await userWithPasskey();
    const proxy = stepUpProxy();
    const approved = await approve(proxy, user.id, 'Delete the account');
    await approveOnDevice(emulator, approved.tx, user.authenticator);
    assert.equal(await proxy.handler.confirmApproval({ tx: approved.tx, userId: user.id, message: 'Delete the account' }), true);

    const denied = await approve(proxy, user.id, 'Change your email');
    await denyOnDevice(emulator, denied.tx);
    assert.equal(await proxy.handler.confirmApproval({ tx: denied.tx, userId: user.id, message: 'Change your email' }), false);

    // A sign-in approved on the device is not an approval of any action.
    const signIn = await readJson<ApprovalStart>(await call(proxy.handler, '/authenticate', { body: { userId: user.id, mode: 'approval' } }));
    await approveOnDevice(emulator, signIn.tx, user.authenticator);
    assert.equal(await proxy.handler.confirmApproval({ tx: signIn.tx, userId: user.id, message: '' }), false);

    // Another proxy (another site) did not start it; nonsense is false, not a throw.
    assert.equal(await stepUpProxy().handler.confirmApproval({ tx: approved.tx, userId: user.id, message: 'Delete the account' }), false);
    assert.equal(await proxy.handler.confirmApproval({ tx: 'nope', userId: user.id, message: 'x' }), false);
    assert.equal(await proxy.handler.confirmApproval(undefined as never), false);
  });

  test('a foreign user’s step-up cannot be completed in another session, even with its proof', async () => {
    const owner = await userWithPasskey();
    const proxy = stepUpProxy();
    const start = await approve(proxy, owner.id, 'Pay €120 to Acme');
    await approveOnDevice(emulator, start.tx, owner.authenticator);
    await expectError(await call(proxy.handler, `/tx/${start.tx}/complete`, { body: { proof: start.proof }, session: crypto.randomUUID() }), 403, 'forbidden');
    await expectError(await call(proxy.handler, `/tx/${start.tx}/complete`, { body: { proof: start.proof } }), 403, 'forbidden');
  });

  test('needs a signed-in user and a message of 1–512 characters', async () => {
    const user = await userWithPasskey();
    const proxy = stepUpProxy();
    await expectError(await call(proxy.handler, '/approve', { body: { message: 'Pay' } }), 401, 'unauthorized');
    for (const body of [{}, { message: '' }, { message: '   ' }, { message: 7 }, { message: 'x'.repeat(513) }, { message: 'ok', userId: user.id }]) {
      await expectError(await call(proxy.handler, '/approve', { body, session: user.id }), 400, 'invalid-request');
    }
    await approve(proxy, user.id, '€'.repeat(512));
  });
});

describe('the approval limit', () => {
  test('3 approval starts per user per 15 minutes by default, apart from the other starts; configurable', async () => {
    const user = await userWithPasskey();
    const proxy = stepUpProxy();
    await approve(proxy, user.id, 'one');
    await call(proxy.handler, '/authenticate', { body: { userId: user.id, mode: 'approval' } });
    await approve(proxy, user.id, 'three');
    const refused = await call(proxy.handler, '/approve', { body: { message: 'four' }, session: user.id });
    const retryAfter = Number(refused.headers.get('retry-after'));
    await expectError(refused, 429, 'rate-limited');
    assert.ok(retryAfter > 14 * 60 && retryAfter <= 15 * 60, `Retry-After ${retryAfter}`);
    await expectError(await call(proxy.handler, '/authenticate', { body: { userId: user.id, mode: 'approval' } }), 429, 'rate-limited');
    // Another user has their own budget.
    const other = await userWithPasskey();
    await approve(proxy, other.id, 'one');

    const generous = stepUpProxy({ approval: { rateLimit: { limit: 5, windowMs: 60_000 } } });
    for (let i = 0; i < 5; i++) await approve(generous, user.id, `try ${i}`);
    await expectError(await call(generous.handler, '/approve', { body: { message: 'six' }, session: user.id }), 429, 'rate-limited');
    const unlimited = stepUpProxy({ approval: { rateLimit: false } });
    for (let i = 0; i < 6; i++) await approve(unlimited, user.id, `go ${i}`);
  });

  test('ceremony: "auto" falling back to approval counts the start, and cancels the TX it cannot use', async () => {
    const user = await userWithPasskey();
    const proxy = stepUpProxy({ approval: { rateLimit: { limit: 1, windowMs: 60_000 } } });
    const first = await call(proxy.handler, '/authenticate', { body: { userId: user.id } });
    assert.equal(first.status, 201);
    const second = await call(proxy.handler, '/authenticate', { body: { userId: user.id } });
    await expectError(second, 429, 'rate-limited');
    const { rows } = await apiClient(emulator).getUserTransactions(user.id, { perPage: 1 });
    assert.equal(rows[0]?.state, 'cancelled', 'the refused start’s TX is not left pending on the person’s device');
  });
});
