/**
 * Property-based: generated requests against every emulator endpoint, over
 * raw sockets (bodies, query strings and headers guided by openapi.yaml's
 * schemas, plus nasty values: deep nesting, huge numbers, unicode, prototype
 * keys, wrong types, repeated parameters, headers Node's parser refuses).
 *
 * Invariants: never a 5xx; every non-2xx answer is the JSON error shape
 * `{ error: "…" }`; the emulator keeps serving (a normal request succeeds
 * after each one); the state stays consistent with what the answers said
 * (users created, deleted, restored, destroyed), in memory and in the data
 * file after a restart.
 *
 * A failure prints fast-check's seed and path; replay it with
 * `FC_SEED=<seed> FC_PATH=<path> node --import tsx --test test/emulator/property.test.ts`.
 * `FC_NUM_RUNS` sets the number of runs (default 15 sequences and 150 single
 * requests, a few seconds) for longer local runs.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { QUERY_PARAMETERS } from '../../src/emulator/query.js';
import type { Paginated, User } from '../../src/types.js';
import { basicAuth, sendRequest, TEST_ORIGIN, TEST_PASSWORD, TEST_USERNAME, startTestEmulator } from '../support/emulator-fixture.js';
import { rawExchange, type RawExchange } from '../support/raw-http.js';
import { SoftAuthenticator } from '../support/soft-authenticator.js';
import {
  contentType,
  headerName,
  headerValue,
  hostileBodyText,
  jsonText,
  nastyString,
  parserRefusedHeaders,
  percentEncode,
  queryPairs,
  serializeRequest,
  tagsBody,
  userBody,
  validUserBody,
  webAuthnResponseBody,
  webTxBody,
  type PathPart,
  type WireRequest,
} from '../support/wire-arbitraries.js';
import { createUser, registerPasskey } from './helpers.js';

const NUM_RUNS = Number(process.env.FC_NUM_RUNS ?? 15);
const replay = {
  ...(process.env.FC_SEED === undefined ? {} : { seed: Number(process.env.FC_SEED) }),
  ...(process.env.FC_PATH === undefined ? {} : { path: process.env.FC_PATH }),
};

type Ref = 'user' | 'deleted' | 'tx';
type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';
interface Operation {
  body?: fc.Arbitrary<string>;
  query?: readonly string[];
}
/** Every emulator endpoint with its methods, the body schema and the query parameters openapi.yaml gives it. */
const ENDPOINTS: { path: (string | `:${Ref}`)[]; methods: Partial<Record<Method, Operation>> }[] = [
  { path: ['users'], methods: { GET: { query: Object.keys(QUERY_PARAMETERS.listUsers) }, POST: { body: userBody } } },
  { path: ['users', 'deleted'], methods: { GET: { query: Object.keys(QUERY_PARAMETERS.listDeletedUsers) } } },
  { path: ['users', 'deleted', ':deleted'], methods: { PUT: {}, DELETE: {} } },
  { path: ['users', ':user'], methods: { GET: {}, PUT: { body: userBody }, DELETE: {} } },
  { path: ['users', ':user', 'tags'], methods: { PUT: { body: tagsBody } } },
  { path: ['users', ':user', 'transactions'], methods: { GET: { query: Object.keys(QUERY_PARAMETERS.getUserTransactions) } } },
  { path: ['users', ':user', 'audits'], methods: { GET: { query: Object.keys(QUERY_PARAMETERS.getUserAudits) } } },
  { path: ['users', ':user', 'register'], methods: { POST: {} } },
  { path: ['users', ':user', 'authenticate'], methods: { POST: { body: webTxBody } } },
  { path: ['users', ':user', 'passkey'], methods: { DELETE: {} } },
  { path: ['transactions', ':tx', 'check'], methods: { GET: {} } },
  { path: ['transactions', ':tx', 'cancel'], methods: { DELETE: {} } },
  { path: ['transactions', ':tx', 'webauthn'], methods: { GET: {}, POST: { body: webAuthnResponseBody } } },
];

/** A path id: a known one (resolved at run time), a fresh UUID, or junk. */
const idPart = (ref: Ref): fc.Arbitrary<PathPart> =>
  fc.oneof(
    { weight: 6, arbitrary: fc.nat().map((index) => ({ ref, index })) },
    { weight: 1, arbitrary: fc.constantFrom<Ref>('user', 'deleted', 'tx').chain((other) => fc.nat().map((index) => ({ ref: other, index }))) },
    { weight: 1, arbitrary: fc.uuid() },
    { weight: 1, arbitrary: fc.uuid().map((id) => id.toUpperCase()) },
    { weight: 1, arbitrary: nastyString.map(percentEncode) },
  );

const authHeader = fc.oneof(
  { weight: 12, arbitrary: fc.constant<[string, string][]>([['Authorization', basicAuth(TEST_USERNAME, TEST_PASSWORD)]]) },
  { weight: 1, arbitrary: fc.constant<[string, string][]>([]) },
  { weight: 1, arbitrary: fc.constantFrom('Basic', 'Basic !!!', 'Bearer x', basicAuth(TEST_USERNAME, 'wrong'), basicAuth('', ''), 'Basic ' + Buffer.from('no-colon').toString('base64')).map((v): [string, string][] => [['Authorization', v]]) },
);

/** One request to one endpoint: mostly its own methods and schema, sometimes any method, body or broken framing. */
const wireRequest: fc.Arbitrary<WireRequest> = fc.constantFrom(...ENDPOINTS).chain((endpoint) => {
  const own = Object.keys(endpoint.methods) as Method[];
  const method = fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...own) }, { weight: 1, arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD') });
  return method.chain((m) => {
    const operation: Operation = endpoint.methods[m as Method] ?? {};
    const body = fc.oneof(
      { weight: operation.body ? 6 : 1, arbitrary: operation.body ?? jsonText },
      { weight: 1, arbitrary: jsonText },
      { weight: 1, arbitrary: hostileBodyText },
      { weight: 2, arbitrary: fc.constant(undefined) },
    );
    const path = fc.tuple(...endpoint.path.map((part) => (part.startsWith(':') ? idPart(part.slice(1) as Ref) : fc.constant<PathPart>(part))));
    const extraHeaders = fc.oneof(
      { weight: 8, arbitrary: fc.array(fc.tuple(headerName, headerValue), { maxLength: 3 }) },
      { weight: 1, arbitrary: parserRefusedHeaders },
    );
    const rawTargetSuffix = fc.oneof({ weight: 15, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom(Buffer.from('ö', 'utf8'), Buffer.from([0xff]), Buffer.from(' x')) });
    return fc.record({
      method: fc.constant(m),
      path: path.map((parts): PathPart[] => ['api', 'v1', ...parts]),
      query: queryPairs(operation.query ?? []),
      headers: fc.tuple(authHeader, contentType, extraHeaders).map(([auth, type, extra]) => [...auth, ...(type === undefined ? [] : [['Content-Type', type] as [string, string]]), ...extra]),
      body,
      rawTargetSuffix,
    }).map((r) => {
      const { rawTargetSuffix: suffix, ...rest } = r;
      return suffix === undefined ? rest : { ...r, rawTargetSuffix: suffix };
    });
  });
});

const auth: [string, string][] = [['Authorization', basicAuth(TEST_USERNAME, TEST_PASSWORD)], ['Content-Type', 'application/json']];
/** A createUser that succeeds unless the e-mail or name is taken, so sequences have users to act on. */
const createUserRequest: fc.Arbitrary<WireRequest> = validUserBody.map((body) => ({ method: 'POST', path: ['api', 'v1', 'users'], query: [], headers: auth, body }));
/** Delete, restore or destroy a known user: the changes the state check follows. */
const lifecycleRequest: fc.Arbitrary<WireRequest> = fc
  .tuple(fc.constantFrom<[string, PathPart[]]>(['DELETE', ['users', { ref: 'user', index: 0 }]], ['PUT', ['users', 'deleted', { ref: 'deleted', index: 0 }]], ['DELETE', ['users', 'deleted', { ref: 'deleted', index: 0 }]]), fc.nat())
  .map(([[method, path], index]) => ({
    method,
    path: ['api', 'v1', ...path.map((part) => (typeof part === 'string' ? part : { ...part, index }))],
    query: [],
    headers: auth,
    body: undefined,
  }));
/** A sequence: generated requests, with creates, deletions and restores mixed in. */
const requestSequence = fc.array(
  fc.oneof({ weight: 2, arbitrary: createUserRequest }, { weight: 1, arbitrary: lifecycleRequest }, { weight: 4, arbitrary: wireRequest }),
  { minLength: 1, maxLength: 12 },
);

/** The ids a run knows, which `{ ref, index }` path parts pick from. */
class KnownIds {
  readonly live = new Set<string>();
  readonly deleted = new Set<string>();
  readonly txs = new Set<string>();
  resolve = (part: PathPart): string => {
    if (typeof part === 'string') return part;
    const pool = [...(part.ref === 'user' ? this.live : part.ref === 'deleted' ? this.deleted : this.txs)];
    return pool.length === 0 ? randomUUID() : (pool[part.index % pool.length] as string);
  };
}

/** The invariants every answer holds. */
function checkAnswer(request: WireRequest, answer: RawExchange): void {
  const what = `${request.method} ${answer.status} ${answer.body.slice(0, 300)}`;
  assert.ok(answer.status >= 200 && answer.status < 500, `never a 5xx (or no status): ${what}`);
  if (request.method === 'HEAD') return; // no body by definition
  if (answer.status >= 300) {
    assert.match(answer.headers['content-type'] ?? '', /^application\/json/, `error is JSON: ${what}`);
    const body = JSON.parse(answer.body) as { error?: unknown };
    assert.equal(typeof body.error, 'string', `{ error: string }: ${what}`);
    assert.ok((body.error as string).length > 0, what);
    assert.doesNotMatch(answer.body, /\\n\s+at /, `no stack trace: ${what}`);
  } else if (answer.body !== '') {
    assert.match(answer.headers['content-type'] ?? '', /^application\/json/, what);
    JSON.parse(answer.body);
  }
}

/** `FC_STATS=1` prints how often each route answered each status (to see that the generators reach the handlers). */
const stats = process.env.FC_STATS === undefined ? undefined : new Map<string, number>();
after(() => {
  if (stats) console.log([...stats].sort().map(([key, count]) => `${String(count).padStart(5)} ${key}`).join('\n'));
});

/** Sends one request over a raw socket, checks it, and updates `ids` from what the emulator confirmed. */
async function exchange(url: string, request: WireRequest, ids: KnownIds): Promise<void> {
  const segments = request.path.map(ids.resolve);
  const answer = await rawExchange(url, serializeRequest({ ...request, path: segments }, (p) => p as string, new URL(url).host));
  const route = request.path.map((p) => (typeof p === 'string' ? p : `{${p.ref}}`)).join('/');
  stats?.set(`${answer.status} ${request.method} /${route}`, (stats.get(`${answer.status} ${request.method} /${route}`) ?? 0) + 1);
  checkAnswer(request, answer);
  if (answer.status < 200 || answer.status >= 300 || request.method === 'HEAD') return;
  const id = segments[segments.length - 1]?.toLowerCase() ?? '';
  const body = answer.body === '' ? undefined : (JSON.parse(answer.body) as { id?: string; tx?: string });
  if (request.method === 'POST' && segments.length === 3 && segments[2] === 'users' && body?.id) ids.live.add(body.id);
  if (request.method === 'DELETE' && segments.length === 4 && segments[2] === 'users' && segments[3] !== 'deleted') {
    ids.live.delete(id);
    ids.deleted.add(id);
  }
  if (segments[3] === 'deleted' && segments.length === 5) {
    ids.deleted.delete(id);
    if (request.method === 'PUT') ids.live.add(id);
  }
  if (body?.tx && /\/(register|authenticate)$/.test(route)) ids.txs.add(body.tx);
}

async function allRows<T extends { id?: string }>(url: string, path: string): Promise<T[]> {
  const rows: T[] = [];
  for (let page = 1; ; page++) {
    const res = await sendRequest<Paginated<T>>(url, 'GET', `${path}?perPage=100&page=${page}`);
    assert.equal(res.status, 200, res.text);
    rows.push(...res.body.rows);
    if (rows.length >= res.body.total || res.body.rows.length === 0) return rows;
  }
}

/** The emulator's lists agree with what its answers confirmed, and every user has the `User` schema's types. */
async function checkState(url: string, ids: KnownIds): Promise<void> {
  const live = await allRows<User>(url, '/api/v1/users');
  const deleted = await allRows<User>(url, '/api/v1/users/deleted');
  assert.deepEqual(new Set(live.map((u) => u.id)), ids.live, 'live users are exactly the confirmed ones');
  assert.deepEqual(new Set(deleted.map((u) => u.id)), ids.deleted, 'deleted users are exactly the confirmed ones');
  for (const user of live) {
    for (const field of ['id', 'username', 'firstName', 'lastName', 'createdAt'] as const) assert.equal(typeof user[field], 'string', `${field} of ${JSON.stringify(user)}`);
    assert.equal(typeof user.hasPasskeys, 'boolean');
    const got = await sendRequest<User>(url, 'GET', `/api/v1/users/${user.id}`);
    assert.deepEqual(got.body, user);
  }
  for (const tx of ids.txs) {
    const check = await sendRequest<{ state: string }>(url, 'GET', `/api/v1/transactions/${tx}/check`);
    // A destroyed user's transactions go with them.
    if (check.status === 404) continue;
    assert.equal(check.status, 200, check.text);
    assert.ok(['pending', 'verified', 'denied', 'cancelled', 'expired'].includes(check.body.state), check.text);
  }
}

/** A normal request still succeeds. */
async function assertServing(url: string): Promise<void> {
  const res = await sendRequest(url, 'GET', '/api/v1/users?perPage=1');
  assert.equal(res.status, 200, `the emulator still serves: ${res.text}`);
}

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sendauth-property-'));
});
after(() => rm(dir, { recursive: true, force: true }));

describe('property: the emulator under generated requests', () => {
  it('answers every single request with < 500 and the JSON error shape, and keeps serving', async () => {
    const t = await startTestEmulator();
    const ids = new KnownIds();
    ids.live.add(t.emulator.accountUserId);
    const seeded = await createUser(t);
    ids.live.add(seeded.id);
    await registerPasskey(t, seeded.id, new SoftAuthenticator({ origin: TEST_ORIGIN }));
    try {
      await fc.assert(
        fc.asyncProperty(wireRequest, async (request) => {
          await exchange(t.url, request, ids);
          await assertServing(t.url);
        }),
        { numRuns: NUM_RUNS * 10, ...replay },
      );
      await checkState(t.url, ids);
    } finally {
      await t.close();
    }
  });

  it('keeps its state consistent with its answers over sequences of requests, in memory and in its data file', async () => {
    await fc.assert(
      fc.asyncProperty(requestSequence, async (requests) => {
        const dataFile = join(dir, `${randomUUID()}.json`);
        let emulator: RunningEmulator | undefined = await startEmulator({ port: 0, dataFile, username: TEST_USERNAME, password: TEST_PASSWORD });
        try {
          const ids = new KnownIds();
          ids.live.add(emulator.accountUserId);
          for (const request of requests) {
            await exchange(emulator.url, request, ids);
            await assertServing(emulator.url);
          }
          await checkState(emulator.url, ids);
          await emulator.close();
          emulator = undefined;
          emulator = await startEmulator({ port: 0, dataFile, username: TEST_USERNAME, password: TEST_PASSWORD });
          await checkState(emulator.url, ids);
        } finally {
          await emulator?.close();
          await rm(dataFile, { force: true });
        }
      }),
      { numRuns: NUM_RUNS, ...replay },
    );
  });
});
