/**
 * The Security rules of DESIGN.md and issue 3, each its own test, against the
 * running emulator (and, where a rule must hold even if SendAuth were
 * lenient, a client that is).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { format, inspect } from 'node:util';
import { SendAuthClient, SendAuthError } from '../../src/api/index.js';
import type { RunningEmulator } from '../../src/emulator/index.js';
import {
  createSendAuthProxy,
  MemoryRateLimitStore,
  type RateLimitHit,
  type RateLimitStore,
  type SendAuthProxyOptions,
  type VerifiedEvent,
} from '../../src/proxy/index.js';
import type { CeremonyOptions, CeremonyResult, CeremonyStart, TransactionStatus, TxStateResult } from '../../src/types.js';
import {
  API_PASSWORD,
  API_TOKEN,
  API_USERNAME,
  apiClient,
  call,
  closedPortUrl,
  countingFetch,
  createUser,
  createUserWithPasskey,
  expectError,
  expectStart,
  listenLocal,
  manualClock,
  ORIGIN,
  readJson,
  sessionFromHeader,
  SoftAuthenticator,
  startTestEmulator,
  type TestUser,
} from '../support/proxy-fixture.js';

let emu: RunningEmulator;
let client: SendAuthClient;

before(async () => {
  emu = await startTestEmulator();
  client = apiClient(emu);
});
after(() => emu.close());

/** A proxy with the test session, recording onVerified and onError. */
function setup(options: Partial<SendAuthProxyOptions> = {}) {
  const verified: VerifiedEvent[] = [];
  const errors: unknown[] = [];
  const handler = createSendAuthProxy({
    sendauth: client,
    getSessionUserId: sessionFromHeader,
    onVerified: (event) => {
      verified.push(event);
      return { 'Set-Cookie': `sid=${event.userId}; HttpOnly` };
    },
    onError: (error) => errors.push(error),
    ...options,
  });
  return { handler, verified, errors };
}

type Handler = ReturnType<typeof setup>['handler'];

async function startAuthentication(handler: Handler, user: TestUser) {
  const start = await expectStart(await call(handler, '/authenticate', { body: { userId: user.id } }), 'authentication');
  if (start.kind !== 'authentication') throw new Error('unreachable');
  return start;
}

async function startRegistration(handler: Handler, user: TestUser) {
  const start = await expectStart(await call(handler, '/register', { body: {}, session: user.id }), 'registration');
  if (start.kind !== 'registration') throw new Error('unreachable');
  return start;
}

async function stateAtSendAuth(tx: string): Promise<string> {
  return (await client.checkTransaction(tx)).state;
}

/** A SendAuth that would accept anything: shows what the proxy itself refuses. */
class LenientSendAuth extends SendAuthClient {
  completed = 0;
  override async completeCeremony(): Promise<CeremonyResult> {
    this.completed += 1;
    await delay(30);
    return { state: 'verified' };
  }
  override async checkTransaction(): Promise<TransactionStatus> {
    return { state: 'verified' };
  }
}

function lenientClient(): LenientSendAuth {
  return new LenientSendAuth({ baseUrl: emu.url, username: API_USERNAME, password: API_PASSWORD });
}

// ─── Credentials ──────────────────────────────────────────────────────────

describe('credentials never leave the proxy', () => {
  const secrets = [API_PASSWORD, API_TOKEN, `${API_USERNAME}:${API_PASSWORD}`, API_USERNAME];

  function assertNoSecret(text: string, where: string): void {
    for (const secret of secrets) assert.ok(!text.includes(secret), `${where} reveals a credential: ${text.slice(0, 500)}`);
  }

  async function assertCleanResponse(response: Response, where: string): Promise<void> {
    const headers = [...response.headers].map(([name, value]) => `${name}: ${value}`).join('\n');
    assertNoSecret(headers, `${where} headers`);
    assertNoSecret(await response.text(), `${where} body`);
  }

  function assertCleanError(error: unknown, where: string): void {
    const views = [String(error), JSON.stringify(error) ?? '', inspect(error, { depth: 20, showHidden: true })];
    if (error instanceof Error) views.push(error.stack ?? '');
    for (const view of views) assertNoSecret(view, where);
  }

  test('in no answer of any endpoint, success or error', async () => {
    const errors: unknown[] = [];
    const handler = createSendAuthProxy({
      // The settings object, so the proxy itself holds the password.
      sendauth: { baseUrl: emu.url, username: API_USERNAME, password: API_PASSWORD },
      allowSignup: true,
      getSessionUserId: sessionFromHeader,
      onVerified: () => ({ 'Set-Cookie': 'sid=1' }),
      onError: (error) => errors.push(error),
      rateLimit: { limit: 3 },
    });
    const user = await createUserWithPasskey(client);
    const fresh = await createUser(client);
    const seen: Array<[string, Response]> = [];
    const hit = async (where: string, path: string, init: Parameters<typeof call>[2] = {}): Promise<Response> => {
      const response = await call(handler, path, init);
      seen.push([where, response.clone()]);
      return response;
    };

    const signup = await readJson<CeremonyStart>(
      await hit('signup', '/signup', { body: { email: `${randomUUID()}@example.test`, firstName: 'Ada', lastName: 'Lovelace' } }),
    );
    await hit('signup duplicate', '/signup', { body: { email: user.email, firstName: 'Ada', lastName: 'Lovelace' } });
    await hit('signup invalid', '/signup', { body: { email: 'nope' } });
    const auth = await readJson<CeremonyStart>(await hit('authenticate', '/authenticate', { body: { username: user.email } }));
    if (auth.kind !== 'authentication') throw new Error('unreachable');
    await hit('authenticate unknown', '/authenticate', { body: { username: 'nobody@example.test' } });
    await hit('authenticate no passkey', '/authenticate', { body: { userId: fresh.id } });
    await hit('authenticate invalid', '/authenticate', { body: { userId: 'x' } });
    await hit('authenticate rate limited', '/authenticate', { body: { username: 'nobody2@example.test' } });
    await hit('verify denied', `/tx/${auth.tx}/verify`, { body: await user.authenticator.authenticate(auth.options, { tamper: true }) });
    await hit('verify replayed', `/tx/${auth.tx}/verify`, { body: await user.authenticator.authenticate(auth.options) });
    const auth2 = await readJson<CeremonyStart>(await hit('authenticate 2', '/authenticate', { body: { userId: user.id }, ip: '10.0.0.2' }));
    if (auth2.kind !== 'authentication') throw new Error('unreachable');
    await hit('verify', `/tx/${auth2.tx}/verify`, { body: await user.authenticator.authenticate(auth2.options) });
    await hit('verify again', `/tx/${auth2.tx}/verify`, { body: await user.authenticator.authenticate(auth2.options) });
    await hit('verify unknown tx', `/tx/${randomUUID()}/verify`, { body: {} });
    await hit('verify invalid', `/tx/${signup.tx}/verify`, { body: { id: 1 } });
    await hit('tx state', `/tx/${signup.tx}`);
    await hit('tx cancel', `/tx/${signup.tx}`, { method: 'DELETE' });
    await hit('tx cancel again', `/tx/${auth2.tx}`, { method: 'DELETE' });
    await hit('tx unknown', `/tx/${randomUUID()}`);
    await hit('register', '/register', { body: {}, session: fresh.id, ip: '10.0.0.3' });
    await hit('register already', '/register', { body: {}, session: user.id, ip: '10.0.0.3' });
    await hit('register no session', '/register', { body: {} });
    await hit('register unknown user', '/register', { body: {}, session: randomUUID(), ip: '10.0.0.4' });
    await hit('me', '/me', { session: user.id });
    await hit('me unknown user', '/me', { session: randomUUID() });
    await hit('me no session', '/me');
    await hit('me/passkey', '/me/passkey', { method: 'DELETE', session: user.id });
    await hit('csrf', '/authenticate', { body: { username: 'x' }, origin: 'http://evil.example' });
    await hit('too large', '/authenticate', { raw: ' '.repeat(70_000) });
    await hit('wrong method', '/authenticate');
    await hit('unknown path', '/nope');

    const statuses = new Set(seen.map(([, r]) => r.status));
    for (const status of [200, 201, 400, 401, 403, 404, 405, 409, 413, 429]) assert.ok(statuses.has(status), `the sweep missed a ${status}`);
    for (const [where, response] of seen) await assertCleanResponse(response, where);
    for (const error of errors) assertCleanError(error, 'onError');
  });

  test('not when SendAuth refuses them: 502 upstream, and nothing in onError or the console', async () => {
    const other = await startTestEmulator({ username: 'someone-else', password: 'another-password' });
    const printed: string[] = [];
    const originalError = console.error;
    const originalWarn = console.warn;
    const originalLog = console.log;
    console.error = (...args: unknown[]) => void printed.push(format(...args));
    console.warn = console.error;
    console.log = console.error;
    try {
      const reported: unknown[] = [];
      const sendauth = { baseUrl: other.url, username: API_USERNAME, password: API_PASSWORD };
      const withHook = createSendAuthProxy({ sendauth, allowSignup: true, getSessionUserId: sessionFromHeader, onError: (e) => reported.push(e) });
      // Without onError the proxy logs to the console itself.
      const withConsole = createSendAuthProxy({ sendauth, allowSignup: true, getSessionUserId: sessionFromHeader });
      const userId = randomUUID();
      for (const handler of [withHook, withConsole]) {
        const answers = [
          await call(handler, '/authenticate', { body: { username: 'someone@example.test' } }),
          await call(handler, '/authenticate', { body: { userId } }),
          await call(handler, '/register', { body: {}, session: userId }),
          await call(handler, '/signup', { body: { email: `${randomUUID()}@example.test`, firstName: 'Ada', lastName: 'Lovelace' } }),
          await call(handler, '/me', { session: userId }),
          await call(handler, '/me/passkey', { method: 'DELETE', session: userId }),
        ];
        for (const answer of answers) {
          await assertCleanResponse(answer.clone(), 'refused upstream');
          const body = await expectError(answer, 502, 'upstream');
          // Not `unauthorized`: the visitor did nothing wrong; the site's configuration did.
          assert.doesNotMatch(body.error.message, /sign in/i);
        }
      }
      assert.ok(reported.length >= 6, 'onError was told about the refused credentials');
      for (const error of reported) assertCleanError(error, 'onError');
      assert.ok(printed.length >= 6, 'the default onError logged');
      for (const line of printed) assertNoSecret(line, 'console');
    } finally {
      console.error = originalError;
      console.warn = originalWarn;
      console.log = originalLog;
      await other.close();
    }
  });
});

// ─── SendAuth's word, not the browser's ────────────────────────────────────

describe('the proxy confirms with checkTransaction before onVerified', () => {
  for (const reported of ['pending', 'denied'] as const) {
    test(`a TX that checkTransaction reports ${reported} is not verified, even though completeCeremony succeeded`, async () => {
      const checked: string[] = [];
      let completed = 0;
      class Doubting extends SendAuthClient {
        override async completeCeremony(...args: Parameters<SendAuthClient['completeCeremony']>): Promise<CeremonyResult> {
          const result = await super.completeCeremony(...args);
          completed += 1;
          assert.equal(result.state, 'verified');
          return result;
        }
        override async checkTransaction(tx: string): Promise<TransactionStatus> {
          checked.push(tx);
          return { state: reported };
        }
      }
      const { handler, verified } = setup({ sendauth: new Doubting({ baseUrl: emu.url, username: API_USERNAME, password: API_PASSWORD }) });
      const user = await createUserWithPasskey(client);
      const start = await startAuthentication(handler, user);

      const answer = await call(handler, `/tx/${start.tx}/verify`, { body: await user.authenticator.authenticate(start.options) });
      assert.deepEqual(answer.headers.getSetCookie(), []);
      await expectError(answer, 400, 'tx-denied');
      assert.equal(completed, 1);
      assert.deepEqual(checked, [start.tx]);
      assert.equal(verified.length, 0);
    });
  }

  test('a body claiming state "verified" is not a verification', async () => {
    const { handler, verified } = setup();
    const user = await createUserWithPasskey(client);
    const start = await startAuthentication(handler, user);

    for (const claim of [{ state: 'verified' }, { state: 'verified', kind: 'authentication', userId: user.id, verified: true }]) {
      await expectError(await call(handler, `/tx/${start.tx}/verify`, { body: claim }), 400, 'invalid-request');
    }
    assert.equal(await stateAtSendAuth(start.tx), 'pending');

    // A real-looking response with a bad signature, dressed up as verified.
    const forged = { ...(await user.authenticator.authenticate(start.options, { tamper: true })), state: 'verified', verified: true };
    await expectError(await call(handler, `/tx/${start.tx}/verify`, { body: forged }), 400, 'tx-denied');
    assert.equal(await stateAtSendAuth(start.tx), 'denied');
    assert.deepEqual(await readJson<TxStateResult>(await call(handler, `/tx/${start.tx}`)), { state: 'denied' });
    assert.equal(verified.length, 0);
  });
});

// ─── Binding ──────────────────────────────────────────────────────────────

describe('a TX is bound to the user, kind and flow the proxy created it for', () => {
  test('a TX this proxy did not create is tx-not-found, and SendAuth is not asked', async () => {
    const counting = countingFetch();
    const { handler, verified } = setup({ sendauth: apiClient(emu, { fetch: counting.fetch }) });
    const user = await createUserWithPasskey(client);
    const { tx } = await client.authenticateUser(user.id);
    const ceremony = await client.getCeremony(tx);
    if (ceremony.kind !== 'authentication') throw new Error('unreachable');
    const response = await user.authenticator.authenticate(ceremony.options);

    await expectError(await call(handler, `/tx/${tx}/verify`, { body: response }), 404, 'tx-not-found');
    await expectError(await call(handler, `/tx/${tx}`), 404, 'tx-not-found');
    await expectError(await call(handler, `/tx/${tx}`, { method: 'DELETE' }), 404, 'tx-not-found');
    assert.deepEqual(counting.requests, []);
    assert.equal(await stateAtSendAuth(tx), 'pending');
    assert.equal(verified.length, 0);

    // Nor does another proxy instance's TX count (with the default in-memory store).
    const { handler: elsewhere } = setup();
    const theirs = await startAuthentication(elsewhere, user);
    const answer = await call(handler, `/tx/${theirs.tx}/verify`, { body: await user.authenticator.authenticate(theirs.options) });
    await expectError(answer, 404, 'tx-not-found');
    assert.equal(await stateAtSendAuth(theirs.tx), 'pending');
  });

  test('a registration response to an authentication TX, and the other way round, is invalid-request before SendAuth', async () => {
    const counting = countingFetch();
    const { handler, verified } = setup({ sendauth: apiClient(emu, { fetch: counting.fetch }) });
    const signer = await createUserWithPasskey(client);
    const enroller = await createUser(client);
    const signIn = await startAuthentication(handler, signer);
    const enrol = await startRegistration(handler, enroller);
    const registration = await new SoftAuthenticator({ origin: ORIGIN }).register(enrol.options);
    const authentication = await signer.authenticator.authenticate(signIn.options);
    counting.requests.length = 0;

    await expectError(await call(handler, `/tx/${signIn.tx}/verify`, { body: registration }), 400, 'invalid-request');
    await expectError(
      await call(handler, `/tx/${enrol.tx}/verify`, { body: authentication, session: enroller.id }),
      400,
      'invalid-request',
    );
    assert.deepEqual(counting.requests, [], 'the proxy refused both without asking SendAuth');
    assert.equal(await stateAtSendAuth(signIn.tx), 'pending');
    assert.equal(await stateAtSendAuth(enrol.tx), 'pending');
    assert.equal((await client.getUser(enroller.id)).hasPasskeys, false);
    assert.equal(verified.length, 0);

    // Each TX still works with the right kind of response.
    assert.equal((await call(handler, `/tx/${signIn.tx}/verify`, { body: authentication })).status, 200);
    assert.equal((await call(handler, `/tx/${enrol.tx}/verify`, { body: registration, session: enroller.id })).status, 200);
  });

  test('a register TX verified under another session user (or none) is forbidden', async () => {
    const counting = countingFetch();
    const { handler, verified } = setup({ sendauth: apiClient(emu, { fetch: counting.fetch }) });
    const owner = await createUser(client);
    const intruder = await createUser(client);
    const start = await startRegistration(handler, owner);
    const registration = await new SoftAuthenticator({ origin: ORIGIN }).register(start.options);
    counting.requests.length = 0;

    await expectError(await call(handler, `/tx/${start.tx}/verify`, { body: registration, session: intruder.id }), 403, 'forbidden');
    await expectError(await call(handler, `/tx/${start.tx}/verify`, { body: registration }), 403, 'forbidden');
    assert.deepEqual(counting.requests, []);
    assert.equal(await stateAtSendAuth(start.tx), 'pending');
    assert.equal((await client.getUser(owner.id)).hasPasskeys, false);
    assert.equal(verified.length, 0);

    const answer = await call(handler, `/tx/${start.tx}/verify`, { body: registration, session: owner.id });
    assert.equal(answer.status, 200);
    assert.deepEqual(verified.map((e) => e.userId), [owner.id]);
  });

  test("user A's authentication TX cannot sign in user B", async () => {
    const { handler, verified } = setup();
    const alice = await createUserWithPasskey(client, 'Alice');
    const bob = await createUserWithPasskey(client, 'Bobby');

    // Bob's own credential over Alice's TX: SendAuth denies it.
    const aliceTx = await startAuthentication(handler, alice);
    const bobsAnswer = await bob.authenticator.authenticate({ ...aliceTx.options, allowCredentials: [] });
    const refused = await call(handler, `/tx/${aliceTx.tx}/verify`, { body: bobsAnswer, session: bob.id });
    assert.deepEqual(refused.headers.getSetCookie(), []);
    await expectError(refused, 400, 'tx-denied');
    assert.equal(await stateAtSendAuth(aliceTx.tx), 'denied');
    assert.equal(verified.length, 0);

    // Whatever the request says about Bob, Alice's TX signs in Alice.
    const again = await startAuthentication(handler, alice);
    const answer = await call(handler, `/tx/${again.tx}/verify?userId=${bob.id}`, {
      body: await alice.authenticator.authenticate(again.options),
      session: bob.id,
      headers: { 'x-user-id': bob.id },
    });
    assert.equal(answer.status, 200);
    assert.deepEqual(await readJson(answer), { state: 'verified', kind: 'authentication', userId: alice.id });
    assert.deepEqual(answer.headers.getSetCookie(), [`sid=${alice.id}; HttpOnly`]);
    assert.deepEqual(verified.map((e) => e.userId), [alice.id]);
  });

  test('a verified TX verified again is replayed (SendAuth lenient or not)', async () => {
    const { handler, verified } = setup();
    const user = await createUserWithPasskey(client);
    const start = await startAuthentication(handler, user);
    const response = await user.authenticator.authenticate(start.options);
    assert.equal((await call(handler, `/tx/${start.tx}/verify`, { body: response })).status, 200);
    const replay = await call(handler, `/tx/${start.tx}/verify`, { body: response });
    assert.deepEqual(replay.headers.getSetCookie(), []);
    await expectError(replay, 409, 'replayed');
    await expectError(
      await call(handler, `/tx/${start.tx}/verify`, { body: await user.authenticator.authenticate(start.options) }),
      409,
      'replayed',
    );
    assert.equal(verified.length, 1);

    // The proxy's own memory refuses it, even from a SendAuth that would complete it twice.
    const lenient = lenientClient();
    const own = setup({ sendauth: lenient });
    const tx = await startAuthentication(own.handler, user);
    const body = await user.authenticator.authenticate(tx.options);
    assert.equal((await call(own.handler, `/tx/${tx.tx}/verify`, { body })).status, 200);
    await expectError(await call(own.handler, `/tx/${tx.tx}/verify`, { body }), 409, 'replayed');
    assert.equal(lenient.completed, 1);
    assert.equal(own.verified.length, 1);
  });

  test('two concurrent verifies of one TX: exactly one 200 (SendAuth lenient or not)', async () => {
    const user = await createUserWithPasskey(client);
    for (const sendauth of [client, lenientClient()]) {
      const { handler, verified } = setup({ sendauth });
      const start = await startAuthentication(handler, user);
      const body = await user.authenticator.authenticate(start.options);
      const answers = await Promise.all([1, 2, 3].map(() => call(handler, `/tx/${start.tx}/verify`, { body })));
      const statuses = answers.map((a) => a.status).sort();
      assert.deepEqual(statuses.filter((s) => s === 200), [200], `statuses ${statuses.join(', ')}`);
      for (const answer of answers.filter((a) => a.status !== 200)) {
        const { error } = await expectError(answer, answer.status);
        assert.ok(answer.status >= 400 && answer.status < 500, `${answer.status} ${error.code}`);
      }
      assert.equal(verified.length, 1);
      if (sendauth instanceof LenientSendAuth) assert.equal(sendauth.completed, 1);
    }
  });

  test(
    'a verify whose body arrives after another verify of the same TX finished is replayed',
    async () => {
      // The replay check must hold after the body is read, not only before: a slow
      // upload that began while the TX was still pending must not complete it twice.
      const lenient = lenientClient();
      const { handler, verified } = setup({ sendauth: lenient });
      const user = await createUserWithPasskey(client);
      const start = await startAuthentication(handler, user);
      const body = JSON.stringify(await user.authenticator.authenticate(start.options));

      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      let reading!: () => void;
      const bodyRequested = new Promise<void>((resolve) => (reading = resolve));
      const slowBody = new ReadableStream<Uint8Array>(
        {
          async pull(controller) {
            reading();
            await released;
            controller.enqueue(new TextEncoder().encode(body));
            controller.close();
          },
        },
        { highWaterMark: 0 }, // pull only when the proxy reads
      );
      // With a Content-Length, as any browser upload has: the body is read by the route, not buffered before it.
      const slow = call(handler, `/tx/${start.tx}/verify`, { raw: slowBody, headers: { 'content-length': String(Buffer.byteLength(body)) } });
      await bodyRequested; // the slow request has passed its first checks and waits for its body
      assert.equal((await call(handler, `/tx/${start.tx}/verify`, { raw: body })).status, 200);
      release();
      await expectError(await slow, 409, 'replayed');
      assert.equal(verified.length, 1);
      assert.equal(lenient.completed, 1);
    },
  );
});

// ─── Session ──────────────────────────────────────────────────────────────

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

// ─── CSRF and body size ───────────────────────────────────────────────────

describe('CSRF', () => {
  test('a POST without Content-Type: application/json is 403, whatever its body', async () => {
    const counting = countingFetch();
    const { handler } = setup({ allowSignup: true, sendauth: apiClient(emu, { fetch: counting.fetch }) });
    const user = await createUserWithPasskey(client);
    const json = JSON.stringify({ username: user.email });
    for (const contentType of [
      'text/plain',
      'text/plain;charset=UTF-8',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/json-patch+json',
      'text/json',
      null,
    ]) {
      const answer = await call(handler, '/authenticate', { raw: json, contentType });
      await expectError(answer, 403, 'forbidden');
    }
    await expectError(
      await call(handler, '/authenticate', { raw: `username=${encodeURIComponent(user.email)}`, contentType: 'application/x-www-form-urlencoded' }),
      403,
      'forbidden',
    );
    await expectError(await call(handler, '/register', { raw: '{}', contentType: 'text/plain', session: user.id }), 403, 'forbidden');
    await expectError(
      await call(handler, '/signup', { raw: JSON.stringify({ email: `${randomUUID()}@example.test`, firstName: 'Ab', lastName: 'Cd' }), contentType: 'text/plain' }),
      403,
      'forbidden',
    );
    assert.deepEqual(counting.requests, []);

    // DELETEs too: a cross-site request cannot cancel a TX or remove passkeys.
    const { handler: real } = setup();
    const start = await startAuthentication(real, user);
    await expectError(await call(real, `/tx/${start.tx}`, { method: 'DELETE', contentType: null }), 403, 'forbidden');
    await expectError(await call(real, '/me/passkey', { method: 'DELETE', contentType: null, session: user.id }), 403, 'forbidden');
    assert.equal(await stateAtSendAuth(start.tx), 'pending');
    assert.equal((await client.getUser(user.id)).hasPasskeys, true);

    // The charset parameter and letter case do not matter.
    for (const contentType of ['application/json; charset=utf-8', 'Application/JSON']) {
      await expectStart(await call(real, '/authenticate', { body: { userId: user.id }, contentType, ip: `10.1.0.${contentType.length}` }), 'authentication');
    }
  });

  test('a state-changing request without an Origin is 403', async () => {
    const { handler } = setup();
    const user = await createUserWithPasskey(client);
    await expectError(await call(handler, '/authenticate', { body: { userId: user.id }, origin: null }), 403, 'forbidden');
    await expectError(await call(handler, '/register', { body: {}, origin: null, session: user.id }), 403, 'forbidden');
    await expectError(await call(handler, '/me/passkey', { method: 'DELETE', origin: null, session: user.id }), 403, 'forbidden');
    assert.equal((await client.getUser(user.id)).hasPasskeys, true);
    assert.equal((await client.getUserTransactions(user.id)).rows.filter((t) => t.state === 'pending').length, 0);
  });

  test('a foreign Origin is 403', async () => {
    const { handler, verified } = setup();
    const user = await createUserWithPasskey(client);
    const start = await startAuthentication(handler, user);
    const response = await user.authenticator.authenticate(start.options);
    for (const origin of ['http://evil.example', 'null', 'http://localhost:5174', 'https://localhost:5173', 'http://localhost:5173.evil.example', 'http://LOCALHOST:5173 ']) {
      await expectError(await call(handler, '/authenticate', { body: { userId: user.id }, origin }), 403, 'forbidden');
      await expectError(await call(handler, `/tx/${start.tx}/verify`, { body: response, origin }), 403, 'forbidden');
      await expectError(await call(handler, `/tx/${start.tx}`, { method: 'DELETE', origin }), 403, 'forbidden');
    }
    assert.equal(await stateAtSendAuth(start.tx), 'pending');
    assert.equal(verified.length, 0);
  });

  test('an origin in allowedOrigins is allowed (and then only those)', async () => {
    const { handler } = setup({ allowedOrigins: ['https://app.example.com', 'http://localhost:3000'] });
    const user = await createUserWithPasskey(client);
    await expectStart(await call(handler, '/authenticate', { body: { userId: user.id }, origin: 'https://app.example.com' }), 'authentication');
    await expectStart(await call(handler, '/authenticate', { body: { userId: user.id }, origin: 'http://localhost:3000' }), 'authentication');
    // As behind a reverse proxy: the request URL is internal, the Origin the public one.
    await expectStart(
      await call(handler, '/authenticate', { body: { userId: user.id }, origin: 'https://app.example.com', url: 'http://10.0.0.7:8080/sendauth/authenticate' }),
      'authentication',
    );
    await expectError(await call(handler, '/authenticate', { body: { userId: user.id } }), 403, 'forbidden');
    await expectError(await call(handler, '/authenticate', { body: { userId: user.id }, origin: 'https://evil.example.com' }), 403, 'forbidden');
  });

  test('GET needs neither Content-Type nor Origin', async () => {
    const { handler } = setup();
    const user = await createUserWithPasskey(client);
    const start = await startAuthentication(handler, user);
    const state = await call(handler, `/tx/${start.tx}`, { origin: null, contentType: null });
    assert.equal(state.status, 200);
    assert.deepEqual(await readJson(state), { state: 'pending' });
    // Even a foreign one: reading is harmless, and CORS keeps the answer from the other site.
    assert.equal((await call(handler, '/me', { session: user.id, origin: 'http://evil.example' })).status, 200);
    assert.equal((await call(handler, '/me', { session: user.id, origin: null })).status, 200);
  });

  test('a body over 64 KB is 413, before anything else happens', async () => {
    const counting = countingFetch();
    const { handler } = setup({ sendauth: apiClient(emu, { fetch: counting.fetch }), rateLimit: false });
    const user = await createUserWithPasskey(client);
    const json = JSON.stringify({ userId: user.id });
    const padded = (size: number) => json + ' '.repeat(size - json.length);

    await expectStart(await call(handler, '/authenticate', { raw: padded(65_536) }), 'authentication');
    counting.requests.length = 0;
    await expectError(await call(handler, '/authenticate', { raw: padded(65_537) }), 413, 'invalid-request');
    await expectError(await call(handler, '/authenticate', { raw: padded(5_000_000) }), 413, 'invalid-request');
    // Without a Content-Length (streamed), too.
    const chunk = new TextEncoder().encode(padded(40_000));
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(chunk);
        controller.enqueue(new TextEncoder().encode(' '.repeat(40_000)));
        controller.close();
      },
    });
    await expectError(await call(handler, '/authenticate', { raw: stream }), 413, 'invalid-request');
    await expectError(await call(handler, '/signup', { raw: padded(65_537) }), 413);
    await expectError(await call(handler, `/tx/${randomUUID()}/verify`, { raw: padded(100_000) }), 413);
    assert.deepEqual(counting.requests, []);

    // maxBodyBytes moves the limit.
    const small = createSendAuthProxy({ sendauth: client, maxBodyBytes: 1_024, rateLimit: false });
    await expectError(await call(small, '/authenticate', { raw: padded(1_025) }), 413, 'invalid-request');
    await expectStart(await call(small, '/authenticate', { raw: padded(1_024) }), 'authentication');
  });
});

// ─── Rate limit ───────────────────────────────────────────────────────────

describe('rate limit of ceremony starts', () => {
  function assertRetryAfter(response: Response, max = 60): number {
    const header = response.headers.get('retry-after');
    assert.match(header ?? '', /^\d+$/, `Retry-After: ${header}`);
    const seconds = Number(header);
    assert.ok(seconds >= 1 && seconds <= max, `Retry-After ${seconds}`);
    return seconds;
  }

  test('by default, the 6th start in a minute from one IP is 429 rate-limited with Retry-After', async () => {
    const counting = countingFetch();
    const { handler } = setup({ sendauth: apiClient(emu, { fetch: counting.fetch }) });
    const users = await Promise.all([1, 2, 3, 4, 5, 6].map(() => createUserWithPasskey(client)));
    for (const user of users.slice(0, 5)) {
      await expectStart(await call(handler, '/authenticate', { body: { username: user.email }, ip: '192.0.2.1' }), 'authentication');
    }
    counting.requests.length = 0;
    const limited = await call(handler, '/authenticate', { body: { username: users[5]!.email }, ip: '192.0.2.1' });
    assert.equal(assertRetryAfter(limited), 60);
    const { error } = await expectError(limited, 429, 'rate-limited');
    assert.match(error.message, /60/);
    assert.deepEqual(counting.requests, [], 'no TX was created at SendAuth');
    assert.equal((await client.getUserTransactions(users[5]!.id)).total, 1, 'only the enrolment TX of the fixture');

    // Unknown names count too (else probing for names would be free), and other IPs are unaffected.
    await expectError(await call(handler, '/authenticate', { body: { username: 'nobody@example.test' }, ip: '192.0.2.1' }), 429, 'rate-limited');
    await expectStart(await call(handler, '/authenticate', { body: { username: users[5]!.email }, ip: '192.0.2.2' }), 'authentication');
  });

  test('without a client IP (a Fetch runtime, no getClientIp): no shared bucket, the per-user limit still holds, one warning', async (t) => {
    const warn = t.mock.method(console, 'warn', () => undefined);
    const { handler } = setup();
    // Seven visitors, one start each: a shared "unknown" bucket would refuse the 6th and 7th.
    const users = await Promise.all([1, 2, 3, 4, 5, 6, 7].map(() => createUserWithPasskey(client)));
    for (const user of users) {
      await expectStart(await call(handler, '/authenticate', { body: { username: user.email }, ip: null }), 'authentication');
    }
    const one = users[0]!;
    for (let i = 2; i <= 5; i += 1) {
      await expectStart(await call(handler, '/authenticate', { body: { username: one.email }, ip: null }), 'authentication');
    }
    await expectError(await call(handler, '/authenticate', { body: { username: one.email }, ip: null }), 429, 'rate-limited');
    assert.equal(warn.mock.callCount(), 1);
    assert.match(String(warn.mock.calls[0]?.arguments[0]), /getClientIp/);
  });

  test('per user, across different IPs', async () => {
    const { handler } = setup();
    const user = await createUserWithPasskey(client);
    for (let i = 1; i <= 5; i += 1) {
      await expectStart(await call(handler, '/authenticate', { body: { username: user.email }, ip: `198.51.100.${i}` }), 'authentication');
    }
    const limited = await call(handler, '/authenticate', { body: { username: user.email.toUpperCase() }, ip: '198.51.100.6' });
    assertRetryAfter(limited);
    await expectError(limited, 429, 'rate-limited');
    assert.equal((await client.getUserTransactions(user.id)).total, 1 + 5, 'the enrolment and 5 starts; the 6th made no TX');
  });

  test(
    'per user, however the user is named (email in any case, userId in any case)',
    async () => {
      const { handler } = setup();
      const user = await createUserWithPasskey(client);
      const names = [{ username: user.email }, { userId: user.id }, { userId: user.id.toUpperCase() }];
      for (let i = 1; i <= 5; i += 1) {
        await expectStart(await call(handler, '/authenticate', { body: names[i % names.length], ip: `203.0.113.${i}` }), 'authentication');
      }
      await expectError(await call(handler, '/authenticate', { body: { userId: user.id }, ip: '203.0.113.6' }), 429, 'rate-limited');
      assert.equal((await client.getUserTransactions(user.id)).total, 1 + 5);
    },
  );

  test('register and signup starts are limited too', async () => {
    const { handler } = setup({ allowSignup: true, rateLimit: { limit: 2 } });
    const user = await createUser(client);
    for (let i = 0; i < 2; i += 1) await expectStart(await call(handler, '/register', { body: {}, session: user.id, ip: `10.9.0.${i}` }), 'registration');
    await expectError(await call(handler, '/register', { body: {}, session: user.id, ip: '10.9.0.9' }), 429, 'rate-limited');
    for (let i = 0; i < 2; i += 1) {
      const body = { email: `${randomUUID()}@example.test`, firstName: 'Ada', lastName: 'Lovelace' };
      await expectStart(await call(handler, '/signup', { body, ip: '10.9.1.1' }), 'registration');
    }
    const body = { email: `${randomUUID()}@example.test`, firstName: 'Ada', lastName: 'Lovelace' };
    await expectError(await call(handler, '/signup', { body, ip: '10.9.1.1' }), 429, 'rate-limited');
    assert.equal((await client.listUsers({ q: body.email })).total, 0);
  });

  test('once the window has passed (injected clock), starts are allowed again', async () => {
    const clock = manualClock();
    const { handler } = setup({ now: clock.now });
    const user = await createUserWithPasskey(client);
    const start = () => call(handler, '/authenticate', { body: { userId: user.id }, ip: '10.2.0.1' });
    for (let i = 0; i < 5; i += 1) await expectStart(await start(), 'authentication');
    clock.advance(20_000);
    const limited = await start();
    assert.equal(assertRetryAfter(limited), 40);
    await expectError(limited, 429, 'rate-limited');
    clock.advance(39_000);
    await expectError(await start(), 429, 'rate-limited');
    clock.advance(1_000);
    await expectStart(await start(), 'authentication');
  });

  test('limit and windowMs are honoured', async () => {
    const clock = manualClock();
    const { handler } = setup({ now: clock.now, rateLimit: { limit: 2, windowMs: 10_000 } });
    const user = await createUserWithPasskey(client);
    const start = () => call(handler, '/authenticate', { body: { userId: user.id }, ip: '10.3.0.1' });
    await expectStart(await start(), 'authentication');
    await expectStart(await start(), 'authentication');
    const limited = await start();
    assert.equal(assertRetryAfter(limited), 10);
    await expectError(limited, 429, 'rate-limited');
    clock.advance(10_000);
    await expectStart(await start(), 'authentication');
  });

  test('a custom store is used for every start', async () => {
    const hits: string[] = [];
    const inner = new MemoryRateLimitStore();
    const store: RateLimitStore = {
      async hit(key, windowMs, now): Promise<RateLimitHit> {
        hits.push(key);
        // A store that says the IP 10.4.0.66 is already far over the limit.
        if (key === 'ip:10.4.0.66') return { count: 1_000, resetAt: now + 7_000 };
        return inner.hit(key, windowMs, now);
      },
    };
    const { handler } = setup({ rateLimit: { store } });
    const user = await createUserWithPasskey(client);
    await expectStart(await call(handler, '/authenticate', { body: { userId: user.id }, ip: '10.4.0.1' }), 'authentication');
    assert.ok(hits.includes('ip:10.4.0.1'), hits.join(', '));
    assert.ok(hits.some((key) => key !== 'ip:10.4.0.1' && key.includes(user.id)), hits.join(', '));
    const limited = await call(handler, '/authenticate', { body: { userId: user.id }, ip: '10.4.0.66' });
    assert.equal(assertRetryAfter(limited), 7);
    await expectError(limited, 429, 'rate-limited');
  });

  test('rateLimit: false turns it off', async () => {
    const { handler } = setup({ rateLimit: false });
    const user = await createUserWithPasskey(client);
    for (let i = 0; i < 8; i += 1) await expectStart(await call(handler, '/authenticate', { body: { userId: user.id } }), 'authentication');
  });
});

// ─── Unknown user vs no passkey ───────────────────────────────────────────

describe('an unknown user cannot be told from one without a passkey', () => {
  async function observe(body: unknown) {
    const counting = countingFetch();
    const { handler } = setup({ sendauth: apiClient(emu, { fetch: counting.fetch }) });
    const response = await call(handler, '/authenticate', { body });
    const headers = Object.fromEntries([...response.headers].filter(([name]) => name !== 'date' && name !== 'content-length'));
    return { status: response.status, headers, body: await readJson(response), requests: counting.requests };
  }

  test('same status, headers, body, and the same SendAuth requests', async () => {
    const user = await createUser(client);
    const cases: Array<[unknown, unknown]> = [
      [{ username: user.email }, { username: `${randomUUID()}@example.test` }],
      [{ username: user.email.toUpperCase() }, { username: 'no-such-name' }],
      [{ userId: user.id }, { userId: randomUUID() }],
    ];
    for (const [known, unknown] of cases) {
      const withoutPasskey = await observe(known);
      const stranger = await observe(unknown);
      assert.equal(withoutPasskey.status, 404);
      assert.deepEqual((withoutPasskey.body as { error: { code: string } }).error.code, 'no-passkey');
      assert.deepEqual(stranger, withoutPasskey);
      assert.ok(withoutPasskey.requests.length > 0);
    }
    assert.equal((await client.getUserTransactions(user.id)).total, 0);
  });

  test('a deleted user looks the same too', async () => {
    const user = await createUser(client);
    await client.deleteUser(user.id);
    const deleted = await observe({ userId: user.id });
    const stranger = await observe({ userId: randomUUID() });
    assert.deepEqual(deleted, stranger);
  });
});

// ─── SendAuth down, slow, failing ─────────────────────────────────────────

describe('SendAuth down, slow or failing', () => {
  async function allStartsFail(handler: Handler, status: number, withinMs: number): Promise<void> {
    const userId = randomUUID();
    const requests: Array<[string, Parameters<typeof call>[2]]> = [
      ['/authenticate', { body: { userId } }],
      ['/authenticate', { body: { username: 'someone@example.test' } }],
      ['/register', { body: {}, session: userId }],
      ['/signup', { body: { email: `${randomUUID()}@example.test`, firstName: 'Ada', lastName: 'Lovelace' } }],
      ['/me', { session: userId }],
      ['/me/passkey', { method: 'DELETE', session: userId }],
    ];
    await Promise.all(
      requests.map(async ([path, init]) => {
        const started = performance.now();
        const answer = await call(handler, path, init);
        const took = performance.now() - started;
        await expectError(answer, status, 'upstream');
        assert.ok(took < withinMs, `${path} took ${Math.round(took)} ms`);
      }),
    );
  }

  test('down (nothing listening): 502 upstream', async () => {
    const url = await closedPortUrl();
    const { handler, errors } = setup({ sendauth: { baseUrl: url, username: API_USERNAME, password: API_PASSWORD }, allowSignup: true });
    await allStartsFail(handler, 502, 5_000);
    assert.ok(errors.length > 0, 'onError heard of it');
  });

  test('slow (never answers): 504 upstream within the configured timeout', async () => {
    const hanging = await listenLocal(createServer(() => undefined));
    try {
      const { handler } = setup({
        sendauth: { baseUrl: hanging.url, username: API_USERNAME, password: API_PASSWORD, timeoutMs: 300 },
        allowSignup: true,
      });
      await allStartsFail(handler, 504, 2_000);
    } finally {
      await hanging.close();
    }
  });

  test('5xx: 502 upstream, never its page', async () => {
    for (const [status, contentType, body] of [
      [500, 'application/json', '{"error":"boom"}'],
      [503, 'text/html', '<html><body>Service Unavailable at /srv/sendauth/app.js:12:3</body></html>'],
      [502, 'text/plain', 'bad gateway'],
    ] as const) {
      const failing = await listenLocal(
        createServer((_request, response) => {
          response.writeHead(status, { 'content-type': contentType });
          response.end(body);
        }),
      );
      try {
        const { handler } = setup({ sendauth: { baseUrl: failing.url, username: API_USERNAME, password: API_PASSWORD }, allowSignup: true });
        await allStartsFail(handler, 502, 5_000);
      } finally {
        await failing.close();
      }
    }
  });

  describe('nothing half-done is left behind', () => {
    /** A client against the real emulator whose getCeremony fails, remembering the TXs it was asked about. */
    function failingCeremony(failure: () => Error) {
      const asked: string[] = [];
      class NoOptions extends SendAuthClient {
        override async getCeremony(tx: string): Promise<CeremonyOptions> {
          asked.push(tx);
          throw failure();
        }
      }
      return { sendauth: new NoOptions({ baseUrl: emu.url, username: API_USERNAME, password: API_PASSWORD }), asked };
    }
    const unavailable = () => new SendAuthError({ operation: 'getCeremony', status: 503, code: 'upstream', message: 'SendAuth answered 503' });

    test('authenticate: the TX whose options could not be fetched is cancelled', async () => {
      for (const failure of [unavailable, () => new TypeError('socket hang up')]) {
        const { sendauth, asked } = failingCeremony(failure);
        const { handler } = setup({ sendauth });
        const user = await createUserWithPasskey(client);
        const answer = await call(handler, '/authenticate', { body: { username: user.email } });
        assert.ok(answer.status >= 500, `status ${answer.status}`);
        await expectError(answer, answer.status, 'upstream');
        assert.equal(asked.length, 1);
        assert.equal(await stateAtSendAuth(asked[0]!), 'cancelled');
        const states = (await client.getUserTransactions(user.id)).rows.filter((t) => t.id !== undefined && t.state !== 'verified');
        assert.deepEqual(states.map((t) => [t.id, t.state]), [[asked[0], 'cancelled']], 'no pending TX left');
        // The proxy does not know it either.
        await expectError(await call(handler, `/tx/${asked[0]}`), 404, 'tx-not-found');
      }
    });

    test('register: the TX is cancelled', async () => {
      const { sendauth, asked } = failingCeremony(unavailable);
      const { handler } = setup({ sendauth });
      const user = await createUser(client);
      await expectError(await call(handler, '/register', { body: {}, session: user.id }), 502, 'upstream');
      assert.equal(asked.length, 1);
      assert.equal(await stateAtSendAuth(asked[0]!), 'cancelled');
      assert.equal((await client.getUser(user.id)).hasPasskeys, false);
    });

    test('signup: the user is not left behind (neither live nor deleted)', async () => {
      const { sendauth, asked } = failingCeremony(unavailable);
      const { handler } = setup({ sendauth, allowSignup: true });
      const email = `${randomUUID()}@example.test`;
      await expectError(await call(handler, '/signup', { body: { email, firstName: 'Ada', lastName: 'Lovelace' } }), 502, 'upstream');
      assert.equal(asked.length, 1);
      assert.equal((await client.listUsers({ q: email })).total, 0);
      assert.equal((await client.listDeletedUsers({ q: email })).total, 0);

      // The same email can sign up once SendAuth is well again.
      const { handler: healthy } = setup({ allowSignup: true });
      await expectStart(await call(healthy, '/signup', { body: { email, firstName: 'Ada', lastName: 'Lovelace' } }), 'registration');
    });

    test('signup: a failed registration start removes the new user too', async () => {
      class NoRegister extends SendAuthClient {
        override async registerUser(): Promise<never> {
          throw new SendAuthError({ operation: 'registerUser', status: 500, code: 'upstream', message: 'SendAuth answered 500' });
        }
      }
      const { handler } = setup({ sendauth: new NoRegister({ baseUrl: emu.url, username: API_USERNAME, password: API_PASSWORD }), allowSignup: true });
      const email = `${randomUUID()}@example.test`;
      await expectError(await call(handler, '/signup', { body: { email, firstName: 'Ada', lastName: 'Lovelace' } }), 502, 'upstream');
      assert.equal((await client.listUsers({ q: email })).total, 0);
      assert.equal((await client.listDeletedUsers({ q: email })).total, 0);
    });
  });
});
