/**
 * Approval on another device through the proxy, against an emulator serving
 * only SendAuth's public spec (`ceremonyEndpoints: false`): the start answers
 * `mode: "approval"`, the person approves or denies on the respond page (a real
 * assertion or attestation from a soft authenticator), the waiting browser
 * follows the TX and completes it with its proof, once.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { RunningEmulator } from '../../src/emulator/index.js';
import type { ApprovalStart, CompleteResult, StartAnswer } from '../../src/wire.js';
import { approveOnDevice, denyOnDevice, notificationOf } from '../support/approve-on-device.js';
import {
  apiClient,
  call,
  countingFetch,
  createUser,
  createUserWithPasskey,
  expectError,
  proxyFactory,
  readJson,
  SoftAuthenticator,
  startTestEmulator,
  UUID,
  type RecordingProxy,
} from '../support/proxy-fixture.js';

const CHROME_ON_LINUX = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36';
const TTL_MS = 90_000;

let publicSpec: RunningEmulator; // no ceremony endpoints
let full: RunningEmulator; // with them, for the enrolment of test users
before(async () => {
  publicSpec = await startTestEmulator({ ceremonyEndpoints: false, txTtlMs: TTL_MS });
  full = await startTestEmulator();
});
after(async () => {
  await publicSpec.close();
  await full.close();
});

/** A proxy on the public-spec emulator, its SendAuth requests counted. */
function approvalProxy(options: Parameters<ReturnType<typeof proxyFactory>>[0] = {}): RecordingProxy & { requests: string[] } {
  const counting = countingFetch();
  const proxy = proxyFactory((event) => ({ 'Set-Cookie': `site-session=${event.userId}; HttpOnly` }))({
    sendauth: apiClient(publicSpec, { fetch: counting.fetch }),
    rateLimit: false,
    approval: { pollIntervalMs: 100 },
    ...options,
  });
  return { ...proxy, requests: counting.requests };
}

/** A user of the public-spec emulator with a passkey (enrolled through a registration TX's respond page). */
async function userWithPasskey() {
  const sendauth = apiClient(publicSpec);
  const user = await createUser(sendauth);
  const authenticator = new SoftAuthenticator({ origin: 'http://localhost:5173' });
  const { tx } = await sendauth.registerUser(user.id);
  await approveOnDevice(publicSpec, tx, authenticator);
  return { ...user, authenticator };
}

async function expectApproval(response: Response, kind: ApprovalStart['kind']): Promise<ApprovalStart> {
  const body = await readJson<StartAnswer>(response);
  assert.equal(response.status, 201, JSON.stringify(body));
  assert.equal(body.mode, 'approval');
  if (body.mode !== 'approval') throw new Error('unreachable');
  assert.equal(body.kind, kind);
  assert.match(body.tx, UUID);
  assert.match(body.code, /^[1-9]\d$/);
  assert.match(body.proof, /^[A-Za-z0-9_-]{43}$/);
  assert.ok(!('options' in body));
  return body;
}

const wait = (proxy: RecordingProxy, tx: string, seconds: number) => call(proxy.handler, `/tx/${tx}?wait=${seconds}`);
const complete = (proxy: RecordingProxy, tx: string, proof: unknown, init: { session?: string; ip?: string } = {}) =>
  call(proxy.handler, `/tx/${tx}/complete`, { body: { proof }, ...init });

describe('a start in approval mode', () => {
  test('with ceremony: "approval" it never calls the ceremony endpoints, and answers the TX’s own expiry, the code, where it went', async () => {
    const user = await userWithPasskey();
    const proxy = approvalProxy({ ceremony: 'approval' });
    const start = await expectApproval(
      await call(proxy.handler, '/authenticate', { body: { username: user.email }, headers: { 'user-agent': CHROME_ON_LINUX } }),
      'authentication',
    );
    assert.deepEqual(proxy.requests.filter((r) => r.includes('/webauthn')), [], 'the assumed ceremony endpoints were called 0 times');
    const entry = await notificationOf(publicSpec, start.tx);
    assert.equal(start.expiresAt, entry.expiresAt, 'the TX’s own expiresAt (a 90 s TTL here), not an assumed five minutes');
    assert.deepEqual(start.sentTo, [`${user.email[0]}•••@example.test`]);
    assert.equal(entry.message, `Sign in to localhost:5173 from Chrome on Linux. Approve only if localhost:5173 shows the code ${start.code}.`);
    assert.ok(!entry.message.includes(start.proof) && !entry.link.includes(start.proof), 'the proof is the browser’s alone');
  });

  test('with ceremony: "auto" it falls back to approval after its one GET of the options', async () => {
    const user = await userWithPasskey();
    const proxy = approvalProxy({ approval: { siteName: 'Acme Shop', pollIntervalMs: 100 } });
    const start = await expectApproval(await call(proxy.handler, '/authenticate', { body: { userId: user.id } }), 'authentication');
    assert.deepEqual(proxy.requests.filter((r) => r.includes('/webauthn')), ['GET /api/v1/transactions/:id/webauthn']);
    assert.match((await notificationOf(publicSpec, start.tx)).message, /^Sign in to Acme Shop from an unknown browser\. .* the code \d\d\.$/);
  });

  test('with ceremony: "auto" where SendAuth serves the options, it is the in-browser ceremony; the browser may still ask for approval', async () => {
    const user = await createUserWithPasskey(apiClient(full));
    const proxy = proxyFactory()({ sendauth: apiClient(full), rateLimit: false });
    const webauthn = await readJson<StartAnswer>(await call(proxy.handler, '/authenticate', { body: { username: user.email } }));
    assert.equal(webauthn.mode, 'webauthn');
    await expectApproval(await call(proxy.handler, '/authenticate', { body: { username: user.email, mode: 'approval' } }), 'authentication');
  });

  test('ceremony: "webauthn" refuses a browser’s approval request; an unknown mode is refused', async () => {
    const user = await createUserWithPasskey(apiClient(full));
    const proxy = proxyFactory()({ sendauth: apiClient(full), ceremony: 'webauthn', rateLimit: false });
    await expectError(await call(proxy.handler, '/authenticate', { body: { username: user.email, mode: 'approval' } }), 400, 'invalid-request');
    await expectError(await call(proxy.handler, '/authenticate', { body: { username: user.email, mode: 'push' } }), 400, 'invalid-request');
    assert.throws(() => proxyFactory()({ sendauth: apiClient(full), ceremony: 'magic' as 'auto' }), /ceremony/);
  });
});

describe('following and completing', () => {
  test('sign-in: waits while pending, answers the approval, completes once with the proof and runs onVerified once', async () => {
    const user = await userWithPasskey();
    const proxy = approvalProxy();
    const start = await expectApproval(await call(proxy.handler, '/authenticate', { body: { username: user.email } }), 'authentication');

    assert.deepEqual(await readJson(await wait(proxy, start.tx, 1)), { state: 'pending' }, 'the wait ends pending');
    await expectError(await complete(proxy, start.tx, start.proof), 409, 'invalid-request'); // not approved yet

    const waiting = wait(proxy, start.tx, 10);
    await approveOnDevice(publicSpec, start.tx, user.authenticator);
    assert.deepEqual(await readJson(await waiting), { state: 'verified' });

    // Another browser knows the TX id (it is in the notification's link) but not the proof.
    await expectError(await complete(proxy, start.tx, undefined), 400, 'invalid-request');
    await expectError(await complete(proxy, start.tx, 'A'.repeat(43), { ip: '10.9.9.9' }), 403, 'forbidden');
    assert.equal(proxy.verified.length, 0);

    const done = await complete(proxy, start.tx, start.proof);
    assert.deepEqual(await readJson<CompleteResult>(done), { state: 'verified', kind: 'authentication', userId: user.id });
    assert.equal(done.status, 200);
    assert.equal(done.headers.get('set-cookie'), `site-session=${user.id}; HttpOnly`);
    await expectError(await complete(proxy, start.tx, start.proof), 409, 'replayed');
    assert.deepEqual(proxy.verified.map(({ userId, kind, tx }) => ({ userId, kind, tx })), [{ userId: user.id, kind: 'authentication', tx: start.tx }]);
    // An approval-mode TX is never verified with a WebAuthn response here.
    await expectError(await call(proxy.handler, `/tx/${start.tx}/verify`, { body: {} }), 409, 'invalid-request');
  });

  test('completions at the same moment: one 200, one onVerified', async () => {
    const user = await userWithPasskey();
    const proxy = approvalProxy();
    const start = await expectApproval(await call(proxy.handler, '/authenticate', { body: { username: user.email } }), 'authentication');
    await approveOnDevice(publicSpec, start.tx, user.authenticator);
    const answers = await Promise.all(Array.from({ length: 6 }, () => complete(proxy, start.tx, start.proof)));
    assert.deepEqual(answers.map((r) => r.status).sort(), [200, 409, 409, 409, 409, 409]);
    assert.equal(proxy.verified.length, 1);
  });

  test('denied on the device: the wait says so and completion is refused with tx-denied', async () => {
    const user = await userWithPasskey();
    const proxy = approvalProxy();
    const start = await expectApproval(await call(proxy.handler, '/authenticate', { body: { username: user.email } }), 'authentication');
    const waiting = wait(proxy, start.tx, 10);
    await denyOnDevice(publicSpec, start.tx);
    assert.deepEqual(await readJson(await waiting), { state: 'denied' });
    await expectError(await complete(proxy, start.tx, start.proof), 400, 'tx-denied');
    assert.equal(proxy.verified.length, 0);
  });

  test('cancelled by the waiting browser: the wait says cancelled; completion is refused', async () => {
    const user = await userWithPasskey();
    const proxy = approvalProxy();
    const start = await expectApproval(await call(proxy.handler, '/authenticate', { body: { username: user.email } }), 'authentication');
    const waiting = wait(proxy, start.tx, 10);
    assert.deepEqual(await readJson(await call(proxy.handler, `/tx/${start.tx}`, { method: 'DELETE', body: { proof: start.proof } })), { state: 'cancelled' });
    assert.deepEqual(await readJson(await waiting), { state: 'cancelled' });
    assert.equal((await notificationOf(publicSpec, start.tx)).state, 'cancelled', 'the person’s device sees it cancelled');
    await expectError(await complete(proxy, start.tx, start.proof), 409, 'cancelled');
  });

  test('expired: the wait says expired and completion is refused with tx-expired', async () => {
    const clock = { at: Date.now() };
    const emulator = await startTestEmulator({ ceremonyEndpoints: false, now: () => clock.at });
    try {
      const sendauth = apiClient(emulator);
      const user = await createUser(sendauth);
      const authenticator = new SoftAuthenticator({ origin: 'http://localhost:5173' });
      await approveOnDevice(emulator, (await sendauth.registerUser(user.id)).tx, authenticator);
      const proxy = proxyFactory()({ sendauth, rateLimit: false, approval: { pollIntervalMs: 100 } });
      const start = await expectApproval(await call(proxy.handler, '/authenticate', { body: { username: user.email } }), 'authentication');
      const waiting = wait(proxy, start.tx, 10);
      clock.at += 5 * 60_000 + 1;
      assert.deepEqual(await readJson(await waiting), { state: 'expired' });
      await expectError(await complete(proxy, start.tx, start.proof), 410, 'tx-expired');
    } finally {
      await emulator.close();
    }
  });

  test('many browsers waiting on one TX cost one check per interval, also across instances sharing a store', async () => {
    const user = await userWithPasskey();
    const { MemoryStore } = await import('../../src/proxy/store.js');
    const store = new MemoryStore();
    const counting = countingFetch();
    const options = { sendauth: apiClient(publicSpec, { fetch: counting.fetch }), store, rateLimit: false as const, approval: { pollIntervalMs: 400 } };
    const first = proxyFactory()(options);
    const second = proxyFactory()(options);
    const start = await expectApproval(await call(first.handler, '/authenticate', { body: { username: user.email } }), 'authentication');
    counting.requests.length = 0;
    const began = Date.now();
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => wait(i % 2 ? first : second, start.tx, 2)));
    const elapsed = Date.now() - began;
    for (const answer of answers) assert.deepEqual(await readJson(answer), { state: 'pending' });
    const checks = counting.requests.filter((r) => r.endsWith('/check')).length;
    // Ten waiters for two seconds: one look per 400 ms interval in all, not one per waiter.
    assert.ok(checks >= 1 && checks <= Math.ceil(elapsed / 400) + 1, `${checks} checks in ${elapsed} ms`);
  });

  test('completion is once-only across three proxy instances sharing a store', async () => {
    const user = await userWithPasskey();
    const { MemoryStore } = await import('../../src/proxy/store.js');
    const options = { sendauth: apiClient(publicSpec), store: new MemoryStore(), rateLimit: false as const };
    const instances = [proxyFactory()(options), proxyFactory()(options), proxyFactory()(options)];
    const start = await expectApproval(await call(instances[0]!.handler, '/authenticate', { body: { username: user.email } }), 'authentication');
    await approveOnDevice(publicSpec, start.tx, user.authenticator);
    const answers = await Promise.all(instances.flatMap((instance) => [complete(instance, start.tx, start.proof), complete(instance, start.tx, start.proof)]));
    assert.deepEqual(answers.map((r) => r.status).sort(), [200, 409, 409, 409, 409, 409]);
    assert.equal(instances.reduce((sum, instance) => sum + instance.verified.length, 0), 1, 'one onVerified in all');
  });

  test('?wait is whole seconds up to 30; a TX this proxy did not start is not followed', async () => {
    const user = await userWithPasskey();
    const proxy = approvalProxy();
    const start = await expectApproval(await call(proxy.handler, '/authenticate', { body: { username: user.email } }), 'authentication');
    for (const bad of ['31', '-1', '1.5', 'soon', '']) await expectError(await call(proxy.handler, `/tx/${start.tx}?wait=${bad}`), 400, 'invalid-request');
    await expectError(await wait(proxy, crypto.randomUUID(), 1), 404, 'tx-not-found');
    await expectError(await complete(proxy, crypto.randomUUID(), start.proof), 404, 'tx-not-found');
  });

  test('a browser that goes away ends its wait at once', async () => {
    const user = await userWithPasskey();
    const proxy = approvalProxy();
    const start = await expectApproval(await call(proxy.handler, '/authenticate', { body: { username: user.email } }), 'authentication');
    const gone = new AbortController();
    const request = new Request(`http://localhost:5173/sendauth/tx/${start.tx}?wait=30`, { signal: gone.signal });
    const began = Date.now();
    const answering = proxy.handler(request, { clientIp: '10.0.0.1' });
    setTimeout(() => gone.abort(), 200);
    assert.deepEqual(await readJson(await answering), { state: 'pending' });
    assert.ok(Date.now() - began < 10_000, 'not held for the full 30 seconds');
  });
});

describe('enrolment in approval mode', () => {
  test('register: the link creates the passkey on the person’s device; the session’s browser completes it', async () => {
    const sendauth = apiClient(publicSpec);
    const user = await createUser(sendauth);
    const proxy = approvalProxy();
    const start = await expectApproval(await call(proxy.handler, '/register', { body: {}, session: user.id }), 'registration');
    assert.equal((await notificationOf(publicSpec, start.tx)).message, 'Create a passkey for your account.', 'register_user takes no WebTX');
    await approveOnDevice(publicSpec, start.tx, new SoftAuthenticator({ origin: 'http://localhost:5173' }));
    // Another signed-in user's browser, even with the proof, cannot complete it.
    await expectError(await complete(proxy, start.tx, start.proof, { session: crypto.randomUUID() }), 403, 'forbidden');
    assert.deepEqual(await readJson(await complete(proxy, start.tx, start.proof, { session: user.id })), { state: 'verified', kind: 'registration', userId: user.id });
    assert.equal((await sendauth.getUser(user.id)).hasPasskeys, true);
    assert.equal(proxy.verified.length, 1);
  });

  test('signup: the new user approves the link; completion opens their session', async () => {
    const proxy = approvalProxy({ allowSignup: true });
    const email = `${crypto.randomUUID()}@example.test`;
    const start = await expectApproval(
      await call(proxy.handler, '/signup', { body: { email, firstName: 'Ada', lastName: 'Lovelace', mode: 'approval' } }),
      'registration',
    );
    assert.deepEqual(start.sentTo, [`${email[0]}•••@example.test`]);
    await approveOnDevice(publicSpec, start.tx, new SoftAuthenticator({ origin: 'http://localhost:5173' }));
    const done = await readJson<CompleteResult>(await complete(proxy, start.tx, start.proof));
    assert.equal(done.kind, 'registration');
    assert.deepEqual(proxy.verified.map((event) => event.userId), [done.userId]);
  });
});
