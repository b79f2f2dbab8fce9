/**
 * The client against a tiny fake SendAuth: retries, timeouts, dropped
 * connections, unexpected bodies, and the status → code table for statuses
 * the emulator has no reason to produce.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { SendAuthClient, type SendAuthClientOptions } from '../../src/api/index.js';
import type { ErrorCode } from '../../src/error-codes.js';
import type { CeremonyResponse } from '../../src/types.js';
import { EXPECTED_TOKEN, PASSWORD, USERNAME, rejectsWith, sendJson, startFakeSendAuth, type FakeHandler } from './helpers.js';

const USER_ID = randomUUID();
const TX_ID = randomUUID();
const USER = { id: USER_ID, firstName: 'Ada', lastName: 'Lovelace', hasPasskeys: false };
/** Well-formed (the client sends only that); the fake SendAuth never verifies it. */
const CEREMONY_RESPONSE = {
  id: 'cred',
  rawId: 'cred',
  type: 'public-key',
  response: { clientDataJSON: 'AAAA', authenticatorData: 'AAAA', signature: 'AAAA' },
  clientExtensionResults: {},
} as unknown as CeremonyResponse;

/** A fake SendAuth whose behaviour each test sets, and a client for it. */
let handler: FakeHandler = (_request, response) => sendJson(response, 500, { error: 'no handler' });
let fake: Awaited<ReturnType<typeof startFakeSendAuth>>;
before(async () => {
  fake = await startFakeSendAuth((request, response, body) => handler(request, response, body));
});
after(() => fake.close());

function clientFor(options: Partial<SendAuthClientOptions> = {}): SendAuthClient {
  return new SendAuthClient({ baseUrl: fake.url, username: USERNAME, password: PASSWORD, ...options });
}

function answer(status: number, body?: unknown): void {
  fake.requests.length = 0;
  handler = (_request, response) => (body === undefined ? response.writeHead(status).end() : sendJson(response, status, body));
}

describe('requests', () => {
  test('sends basic auth, JSON, and the documented method and path', async () => {
    answer(201, { tx: TX_ID });
    assert.deepEqual(await clientFor().authenticateUser(USER_ID, { message: 'Sign in to Example' }), { tx: TX_ID });
    const [request] = fake.requests;
    assert.equal(request?.method, 'POST');
    assert.equal(request?.url, `/api/v1/users/${USER_ID}/authenticate`);
    assert.equal(request?.authorization, EXPECTED_TOKEN);
    assert.deepEqual(JSON.parse(request?.body ?? ''), { message: 'Sign in to Example' });
  });

  test('a baseUrl with a path keeps it; list queries become search parameters', async () => {
    answer(200, { rows: [USER], total: 1 });
    const client = new SendAuthClient({ baseUrl: `${fake.url}/sendauth/`, username: USERNAME, password: PASSWORD });
    await client.listUsers({ page: 2, perPage: 10, q: 'ada lovelace', sortBy: 'firstName', sortDir: 'desc', permission: undefined });
    assert.equal(fake.requests[0]?.url, '/sendauth/api/v1/users?page=2&perPage=10&q=ada+lovelace&sortBy=firstName&sortDir=desc');
  });

  test('void operations ignore the answer body', async () => {
    answer(200, 'not what you think');
    await clientFor().deleteUser(USER_ID);
    answer(200);
    await clientFor().cancelTransaction(TX_ID);
    assert.equal(fake.requests[0]?.url, `/api/v1/transactions/${TX_ID}/cancel`);
  });
});

describe('retries', () => {
  test('a GET answered 500 is retried exactly `retries` times, then upstream with the status and SendAuth’s text', async () => {
    answer(500, { error: 'database on fire' });
    const error = await rejectsWith(clientFor({ retries: 2 }).getUser(USER_ID), {
      code: 'upstream',
      status: 500,
      operation: 'getUser',
      message: /^SendAuth answered 500 \(server error\): GET \/api\/v1\/users\/[0-9a-f-]+ \(getUser\); SendAuth said: "database on fire"$/,
    });
    assert.equal(fake.requests.length, 3, error.message);
  });

  test('retries: 0 means one attempt; 503 and 429 are retried too', async () => {
    answer(503, { error: 'busy' });
    await rejectsWith(clientFor({ retries: 0 }).listUsers(), { code: 'upstream', status: 503 });
    assert.equal(fake.requests.length, 1);
    answer(429, { error: 'slow down' });
    await rejectsWith(clientFor({ retries: 1 }).checkTransaction(TX_ID), { code: 'rate-limited', status: 429 });
    assert.equal(fake.requests.length, 2);
  });

  test('POST, PUT and DELETE are never retried', async () => {
    answer(500, { error: 'nope' });
    const client = clientFor({ retries: 3 });
    await rejectsWith(client.registerUser(USER_ID), { code: 'upstream', status: 500, operation: 'registerUser' });
    await rejectsWith(client.restoreUser(USER_ID), { code: 'upstream', status: 500, operation: 'restoreUser' });
    await rejectsWith(client.cancelTransaction(TX_ID), { code: 'upstream', status: 500, operation: 'cancelTransaction' });
    assert.deepEqual(
      fake.requests.map((r) => r.method),
      ['POST', 'PUT', 'DELETE'],
    );
  });

  test('a GET answered 404 is not retried', async () => {
    answer(404, { error: 'no such user' });
    await rejectsWith(clientFor().getUser(USER_ID), { code: 'user-not-found', status: 404 });
    assert.equal(fake.requests.length, 1);
  });
});

describe('network failures and timeouts are upstream errors, never hangs', () => {
  test('no answer within timeoutMs', async () => {
    fake.requests.length = 0;
    handler = () => {}; // never answers
    const started = Date.now();
    await rejectsWith(clientFor({ timeoutMs: 300 }).getUser(USER_ID), {
      code: 'upstream',
      status: 0,
      operation: 'getUser',
      message: /^SendAuth at http:\/\/127\.0\.0\.1:\d+ timed out after 300 ms: GET \/api\/v1\/users\/[0-9a-f-]+ \(getUser\)$/,
    });
    const elapsed = Date.now() - started;
    // Well below the 10 s default, with room for a loaded machine (CI once took 655 ms).
    assert.ok(elapsed >= 250 && elapsed < 5_000, `took ${elapsed} ms`);
    await rejectsWith(clientFor({ timeoutMs: 200 }).createUser({ firstName: 'Ada', lastName: 'Lovelace' }), { code: 'upstream', status: 0 });
  });

  test('headers, then a body that never ends', async () => {
    fake.requests.length = 0;
    handler = (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"id":');
    };
    const started = Date.now();
    await rejectsWith(clientFor({ timeoutMs: 300 }).getUser(USER_ID), { code: 'upstream', status: 0, message: /timed out after 300 ms/ });
    assert.ok(Date.now() - started < 5_000, 'well below the 10 s default');
  });

  test('the connection is closed without an answer: GETs are retried, POSTs are not', async () => {
    fake.requests.length = 0;
    handler = (request) => request.socket.destroy();
    await rejectsWith(clientFor({ retries: 2 }).getUserAudits(USER_ID), {
      code: 'upstream',
      status: 0,
      message: /^SendAuth at http:\/\/127\.0\.0\.1:\d+ was unreachable: GET \/api\/v1\/users\/[0-9a-f-]+\/audits \(getUserAudits\): fetch failed/,
    });
    assert.equal(fake.requests.length, 3);
    fake.requests.length = 0;
    await rejectsWith(clientFor({ retries: 2 }).createUser({ firstName: 'Ada', lastName: 'Lovelace' }), { code: 'upstream', status: 0 });
    assert.equal(fake.requests.length, 1);
  });

  test('nothing listens on the port', async () => {
    const closed = await startFakeSendAuth(() => {});
    await closed.close();
    const client = new SendAuthClient({ baseUrl: closed.url, username: USERNAME, password: PASSWORD, retries: 0 });
    const error = await rejectsWith(client.getUser(USER_ID), { code: 'upstream', status: 0, message: /unreachable.*ECONNREFUSED/ });
    assert.ok(error.cause instanceof Error, 'the network error is kept as cause');
  });

  test('a throwing fetch', async () => {
    const client = clientFor({ retries: 0, fetch: () => Promise.reject(new TypeError('boom')) });
    await rejectsWith(client.listUsers(), { code: 'upstream', status: 0, message: /unreachable.*boom/ });
  });
});

describe('2xx answers that are not the expected JSON are upstream errors', () => {
  const cases: [string, number, unknown, (client: SendAuthClient) => Promise<unknown>][] = [
    ['getUser: no id', 200, { firstName: 'Ada' }, (c) => c.getUser(USER_ID)],
    ['authenticateUser: tx not a UUID', 201, { tx: 'nope' }, (c) => c.authenticateUser(USER_ID)],
    ['listUsers: no rows', 200, { total: 0 }, (c) => c.listUsers()],
    ['checkTransaction: unknown state', 200, { state: 'sleeping' }, (c) => c.checkTransaction(TX_ID)],
    ['getCeremony: no options', 200, { kind: 'registration', expiresAt: 'x' }, (c) => c.getCeremony(TX_ID)],
    ['completeCeremony: empty', 200, {}, (c) => c.completeCeremony(TX_ID, CEREMONY_RESPONSE)],
  ];
  for (const [name, status, body, call] of cases) {
    test(name, async () => {
      answer(status, body);
      await rejectsWith(call(clientFor()), { code: 'upstream', status, message: /with a body that is not the expected JSON/ });
    });
  }

  test('not JSON at all', async () => {
    fake.requests.length = 0;
    handler = (_request, response) => response.writeHead(200, { 'content-type': 'text/html' }).end('<html>hi</html>');
    await rejectsWith(clientFor().getUser(USER_ID), { code: 'upstream', status: 200 });
  });
});

describe('status → code', () => {
  type Call = (client: SendAuthClient) => Promise<unknown>;
  const getUser: Call = (c) => c.getUser(USER_ID);
  const createUser: Call = (c) => c.createUser({ firstName: 'Ada', lastName: 'Lovelace' });
  const updateUser: Call = (c) => c.updateUser(USER_ID, { firstName: 'Ada', lastName: 'Lovelace' });
  const authenticateUser: Call = (c) => c.authenticateUser(USER_ID);
  const registerUser: Call = (c) => c.registerUser(USER_ID);
  const checkTransaction: Call = (c) => c.checkTransaction(TX_ID);
  const cancelTransaction: Call = (c) => c.cancelTransaction(TX_ID);
  const getCeremony: Call = (c) => c.getCeremony(TX_ID);
  const completeCeremony: Call = (c) => c.completeCeremony(TX_ID, CEREMONY_RESPONSE);
  const cases: [string, Call, number, unknown, ErrorCode][] = [
    ['getUser', getUser, 400, { error: 'bad' }, 'invalid-request'],
    ['getUser', getUser, 401, { error: 'bad' }, 'unauthorized'],
    ['getUser', getUser, 403, { error: 'no' }, 'forbidden'],
    ['getUser', getUser, 404, undefined, 'user-not-found'],
    ['getUser', getUser, 418, undefined, 'upstream'],
    ['getUser', getUser, 502, undefined, 'upstream'],
    ['createUser', createUser, 413, undefined, 'invalid-request'],
    ['createUser', createUser, 422, { error: 'exists' }, 'already-exists'],
    ['updateUser', updateUser, 422, { error: 'invalid' }, 'invalid-request'],
    ['authenticateUser', authenticateUser, 406, undefined, 'no-passkey'],
    ['authenticateUser', authenticateUser, 429, undefined, 'rate-limited'],
    ['registerUser', registerUser, 406, undefined, 'already-registered'],
    ['checkTransaction', checkTransaction, 404, undefined, 'tx-not-found'],
    ['cancelTransaction', cancelTransaction, 400, { error: 'not pending' }, 'invalid-request'],
    ['cancelTransaction', cancelTransaction, 404, undefined, 'tx-not-found'],
    ['getCeremony', getCeremony, 404, undefined, 'tx-not-found'],
    ['getCeremony', getCeremony, 410, { error: 'expired', state: 'expired' }, 'tx-expired'],
    ['getCeremony', getCeremony, 409, { error: 'done', state: 'verified' }, 'replayed'],
    ['getCeremony', getCeremony, 409, { error: 'done', state: 'denied' }, 'tx-denied'],
    ['getCeremony', getCeremony, 409, { error: 'done', state: 'cancelled' }, 'cancelled'],
    ['getCeremony', getCeremony, 409, { error: 'who knows' }, 'upstream'],
    ['completeCeremony', completeCeremony, 400, { error: 'bad signature', state: 'denied' }, 'tx-denied'],
    ['completeCeremony', completeCeremony, 400, { error: 'malformed' }, 'invalid-request'],
    ['completeCeremony', completeCeremony, 409, { error: 'done', state: 'verified' }, 'replayed'],
    ['completeCeremony', completeCeremony, 410, { error: 'expired', state: 'expired' }, 'tx-expired'],
  ];
  for (const [operation, call, status, body, code] of cases) {
    test(`${operation} ${status} ${body === undefined ? '' : JSON.stringify(body)} → ${code}`, async () => {
      answer(status, body);
      await rejectsWith(call(clientFor({ retries: 0 })), { code, status, operation });
    });
  }

  test('the message says what failed and where, quoting SendAuth', async () => {
    answer(404, { error: 'User not found' });
    const error = await rejectsWith(getUser(clientFor()), { code: 'user-not-found', status: 404 });
    assert.equal(error.message, `SendAuth answered 404 (user not found): GET /api/v1/users/${USER_ID} (getUser); SendAuth said: "User not found"`);
  });

  test('401 says the credentials were refused and echoes nothing, even if SendAuth does', async () => {
    answer(401, { error: `bad credentials ${USERNAME}:${PASSWORD}` });
    const error = await rejectsWith(getUser(clientFor()), {
      code: 'unauthorized',
      status: 401,
      message: /^SendAuth answered 401 \(the API credentials were refused\): GET /,
    });
    assert.ok(!error.message.includes(USERNAME));
  });

  test('a redirect is not followed (it would carry the credentials elsewhere)', async () => {
    fake.requests.length = 0;
    handler = (_request, response) => response.writeHead(302, { location: '/elsewhere' }).end();
    await rejectsWith(getUser(clientFor()), { code: 'upstream', status: 302, message: /^SendAuth answered 302 \(unexpected status\)/ });
    assert.equal(fake.requests.length, 1);
  });

  test('a password SendAuth echoes in another error is redacted', async () => {
    answer(400, { error: `your password ${PASSWORD} is showing` });
    const error = await rejectsWith(getUser(clientFor({ retries: 0 })), { code: 'invalid-request', status: 400 });
    assert.match(error.message, /your password \*\*\* is showing/);
  });
});
