/** Inputs are checked before any request: a refused input sends nothing. */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import { inspect } from 'node:util';
import { SendAuthClient } from '../../src/api/index.js';
import type { CeremonyResponse, User, UserInput } from '../../src/types.js';
import { PASSWORD, USERNAME, rejectsWith } from './helpers.js';

const USER_ID = randomUUID();
const TX_ID = randomUUID();
const VALID_USER: UserInput = { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com' };

interface Recorded {
  method: string;
  url: string;
  contentType: string | null;
  body: string;
}

/** A client whose fetch records requests and answers `answer`; it must not be called for refused input. */
function recordingClient(answer: () => Response = () => Response.json({ ...VALID_USER, id: USER_ID }, { status: 201 })) {
  const requests: Recorded[] = [];
  const client = new SendAuthClient({
    baseUrl: 'http://sendauth.invalid',
    username: USERNAME,
    password: PASSWORD,
    fetch: async (input) => {
      const request = input as Request; // ky always passes a Request
      // Read now: ky cancels the request body once the call settles.
      requests.push({ method: request.method, url: request.url, contentType: request.headers.get('content-type'), body: await request.text() });
      return answer();
    },
  });
  return { client, requests };
}

/** Casts for inputs TypeScript would refuse: the checks are for JavaScript callers and untyped data. */
const loose = <T>(value: unknown): T => value as T;

describe('a bad id sends no request', () => {
  const bad = ['', 'nope', `${USER_ID}x`, `../${USER_ID}`, USER_ID.replaceAll('-', ''), loose<string>(42), loose<string>(undefined)];
  const { client, requests } = recordingClient();
  const response = loose<CeremonyResponse>({ id: 'a', type: 'public-key', response: {} });
  const calls: [string, string, (id: string) => Promise<unknown>][] = [
    ['authenticateUser', 'userId', (id) => client.authenticateUser(id)],
    ['createUser', '', () => Promise.resolve()],
    ['deleteUser', 'userId', (id) => client.deleteUser(id)],
    ['destroyUser', 'userId', (id) => client.destroyUser(id)],
    ['getUser', 'userId', (id) => client.getUser(id)],
    ['getUserAudits', 'userId', (id) => client.getUserAudits(id)],
    ['getUserTransactions', 'userId', (id) => client.getUserTransactions(id)],
    ['registerUser', 'userId', (id) => client.registerUser(id)],
    ['removeUserPasskey', 'userId', (id) => client.removeUserPasskey(id)],
    ['restoreUser', 'userId', (id) => client.restoreUser(id)],
    ['setUserTags', 'userId', (id) => client.setUserTags(id, { tags: {} })],
    ['updateUser', 'userId', (id) => client.updateUser(id, VALID_USER)],
    ['checkTransaction', 'txId', (id) => client.checkTransaction(id)],
    ['cancelTransaction', 'txId', (id) => client.cancelTransaction(id)],
    ['getCeremony', 'txId', (id) => client.getCeremony(id)],
    ['completeCeremony', 'txId', (id) => client.completeCeremony(id, response)],
  ];
  for (const [operation, name, call] of calls.filter(([, name]) => name)) {
    test(operation, async () => {
      for (const id of bad) {
        await rejectsWith(call(id), {
          code: 'invalid-request',
          status: 0,
          operation,
          message: new RegExp(`^Invalid input to ${operation}: ${name} must be a UUID; no request was sent to SendAuth$`),
        });
      }
      assert.equal(requests.length, 0);
    });
  }
});

describe('other refused input sends no request', () => {
  const long = (n: number) => 'x'.repeat(n);
  const { client, requests } = recordingClient();
  const user = (change: Record<string, unknown>) => loose<UserInput>({ ...VALID_USER, ...change });
  const cases: [string, () => Promise<unknown>][] = [
    ['user not an object', () => client.createUser(loose(null))],
    ['firstName missing', () => client.createUser(user({ firstName: undefined }))],
    ['firstName too short', () => client.createUser(user({ firstName: 'A' }))],
    ['lastName too long', () => client.updateUser(USER_ID, user({ lastName: long(51) }))],
    ['email not an email', () => client.createUser(user({ email: 'ada at example.com' }))],
    ['email too long', () => client.createUser(user({ email: `${long(250)}@example.com` }))],
    ['phone too long', () => client.createUser(user({ phone: '1'.repeat(21) }))],
    ['role unknown', () => client.createUser(user({ role: 'root' }))],
    ['messagingPreference unknown', () => client.createUser(user({ messagingPreference: 'pigeon' }))],
    ['permissions not an array', () => client.createUser(user({ permissions: 'all' }))],
    ['a permission too long', () => client.createUser(user({ permissions: ['ok', long(65)] }))],
    ['permissionGroups not UUIDs', () => client.createUser(user({ permissionGroups: [randomUUID(), 'group'] }))],
    ['company name too short', () => client.createUser(user({ company: { name: 'X' } }))],
    ['webTx message too long', () => client.authenticateUser(USER_ID, { message: long(1025) })],
    ['webTx connectwise too long', () => client.authenticateUser(USER_ID, { connectwise: long(65) })],
    ['webTx not an object', () => client.authenticateUser(USER_ID, loose('hello'))],
    ['page 0', () => client.listUsers({ page: 0 })],
    ['page not an integer', () => client.getUserAudits(USER_ID, { page: 1.5 })],
    ['perPage 0', () => client.getUserTransactions(USER_ID, { perPage: 0 })],
    ['perPage 101', () => client.listDeletedUsers({ perPage: 101 })],
    ['sortDir sideways', () => client.listUsers({ sortDir: loose('sideways') })],
    ['q not a string', () => client.listUsers({ q: loose(5) })],
    ['unknown query key', () => client.listUsers(loose({ per_page: 5 }))],
    ['sortBy on a query that has none', () => client.listDeletedUsers(loose({ sortBy: 'email' }))],
    ['tags not strings', () => client.setUserTags(USER_ID, loose({ tags: { a: 1 } }))],
    ['tags request not an object', () => client.setUserTags(USER_ID, loose(undefined))],
    ['ceremony response not an object', () => client.completeCeremony(TX_ID, loose('credential'))],
    ['ceremony response without type', () => client.completeCeremony(TX_ID, loose({ id: 'a', response: {} }))],
  ];
  for (const [name, call] of cases) {
    test(name, async () => {
      await rejectsWith(call(), { code: 'invalid-request', status: 0, message: /^Invalid input to \w+: .+; no request was sent to SendAuth$/ });
      assert.equal(requests.length, 0);
    });
  }

  test('limits count characters, not UTF-16 units', async () => {
    const { client: ok, requests: sent } = recordingClient();
    await ok.createUser({ firstName: '😀😀', lastName: 'é'.repeat(50) });
    assert.equal(sent.length, 1);
  });
});

describe('request bodies', () => {
  test('read-only and unknown user fields are left out of create and update bodies', async () => {
    const { client, requests } = recordingClient();
    const fetched = loose<User & { tags: object }>({
      id: USER_ID,
      username: 'ada',
      hasPasskeys: true,
      createdAt: '2024-01-01T00:00:00Z',
      lastAuthenticated: '2024-01-02T00:00:00Z',
      tags: { a: 'b' },
      firstName: 'Ada',
      lastName: 'Lovelace',
      role: 'user',
      permissions: ['read'],
      company: { name: 'Analytical Engines', createdAt: '2024-01-01T00:00:00Z' },
    });
    await client.createUser(fetched);
    await client.updateUser(USER_ID, fetched);
    const expected = { firstName: 'Ada', lastName: 'Lovelace', role: 'user', permissions: ['read'], company: { name: 'Analytical Engines' } };
    assert.equal(requests.length, 2);
    for (const request of requests) {
      assert.equal(request.contentType, 'application/json');
      assert.deepEqual(JSON.parse(request.body), expected);
    }
    assert.deepEqual(
      requests.map((r) => `${r.method} ${new URL(r.url).pathname}`),
      ['POST /api/v1/users', `PUT /api/v1/users/${USER_ID}`],
    );
  });

  test('authenticateUser without webTx sends no body; setUserTags sends { tags }', async () => {
    const { client, requests } = recordingClient(() => Response.json({ tx: TX_ID }, { status: 201 }));
    await client.authenticateUser(USER_ID);
    await client.setUserTags(USER_ID, { tags: { plan: 'pro' } });
    assert.equal(requests[0]?.body, '');
    assert.deepEqual(JSON.parse(requests[1]?.body ?? ''), { tags: { plan: 'pro' } });
  });
});

describe('constructor', () => {
  const base = { baseUrl: 'https://app.sendauth.com', username: USERNAME, password: PASSWORD };
  const bad: [string, object][] = [
    ['baseUrl not a URL', { baseUrl: 'app.sendauth.com' }],
    ['baseUrl with credentials', { baseUrl: `https://${USERNAME}:${PASSWORD}@app.sendauth.com` }],
    ['baseUrl not http', { baseUrl: 'ftp://app.sendauth.com' }],
    ['username with a colon', { username: 'a:b' }],
    ['empty password', { password: '' }],
    ['timeoutMs 0', { timeoutMs: 0 }],
    ['retries -1', { retries: -1 }],
  ];
  for (const [name, change] of bad) {
    test(`refuses ${name}, without echoing it`, () => {
      assert.throws(
        () => new SendAuthClient({ ...base, ...change }),
        (error: unknown) => error instanceof TypeError && !error.message.includes(PASSWORD),
      );
    });
  }

  // An unset SENDAUTH_URL reaches the client as '' (the README's `const { SENDAUTH_URL = '' } = process.env`).
  const named: [string, unknown, RegExp][] = [
    ['empty (an unset variable)', '', /^SendAuthClient: baseUrl is empty: give the URL of your SendAuth \(e\.g\. https:\/\/app\.sendauth\.com/],
    ['missing', undefined, /^SendAuthClient: baseUrl is empty/],
    ['without a scheme', 'localhost:8787', /^SendAuthClient: baseUrl must start with https:\/\/ or http:\/\//],
    ['a bare host', 'app.sendauth.com', /^SendAuthClient: baseUrl must be an http\(s\) URL starting with https:\/\/ or http:\/\//],
    ['with credentials', `https://${USERNAME}:${PASSWORD}@app.sendauth.com`, /^SendAuthClient: baseUrl must hold no credentials: give them as username and password\.$/],
    ['with a query', 'https://app.sendauth.com/?a=1', /^SendAuthClient: baseUrl must have no query or fragment\.$/],
  ];
  for (const [name, baseUrl, message] of named) {
    test(`a baseUrl ${name} is refused with a message that names the fix`, () => {
      assert.throws(() => new SendAuthClient({ ...base, baseUrl: baseUrl as string }), (error: unknown) => error instanceof TypeError && message.test(error.message));
    });
  }

  test('the credentials are not visible on the client', () => {
    const client = new SendAuthClient(base);
    for (const view of [JSON.stringify(client), String(client), inspect(client, { showHidden: true, depth: 10 }), Object.keys(client).join()]) {
      assert.ok(!view.includes(PASSWORD) && !view.includes(USERNAME), view);
    }
  });
});
