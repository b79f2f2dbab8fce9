/**
 * A bad-input sweep over every endpoint: whatever a browser (or anyone)
 * sends, the answer is a 4xx `{ error: { code, message } }` in JSON, never a
 * 500 or a stack trace; input the proxy can judge never reaches SendAuth; and
 * the proxy keeps serving valid requests afterwards.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { SendAuthClient } from '../../src/api/index.js';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { createSendAuthProxy, type SendAuthProxyHandler, type VerifiedEvent } from '../../src/proxy/index.js';
import type { CeremonyStart } from '../../src/wire.js';
import {
  apiClient,
  assertErrorShape,
  call,
  countingFetch,
  createUser,
  createUserWithPasskey,
  expectStart,
  ORIGIN,
  readJson,
  sessionFromHeader,
  SoftAuthenticator,
  startTestEmulator,
  type CallInit,
  type TestUser,
} from '../support/proxy-fixture.js';

let emu: RunningEmulator;
let client: SendAuthClient;
let counting: ReturnType<typeof countingFetch>;
let handler: SendAuthProxyHandler;
const verified: VerifiedEvent[] = [];
let signer: TestUser & { authenticator: SoftAuthenticator };
let enroller: TestUser;
let signIn: Extract<CeremonyStart, { kind: 'authentication' }>;
let enrol: Extract<CeremonyStart, { kind: 'registration' }>;

before(async () => {
  emu = await startTestEmulator();
  client = apiClient(emu);
  counting = countingFetch();
  handler = createSendAuthProxy({
    sendauth: apiClient(emu, { fetch: counting.fetch }),
    allowSignup: true,
    getSessionUserId: sessionFromHeader,
    onVerified: (event) => void verified.push(event),
    // The sweep sends many starts; the limiter has tests of its own.
    rateLimit: { limit: 10_000 },
  });
  signer = await createUserWithPasskey(client);
  enroller = await createUser(client);
  const a = await expectStart(await call(handler, '/authenticate', { body: { userId: signer.id } }), 'authentication');
  const r = await expectStart(await call(handler, '/register', { body: {}, session: enroller.id }), 'registration');
  if (a.kind !== 'authentication' || r.kind !== 'registration') throw new Error('unreachable');
  signIn = a;
  enrol = r;
});
after(() => emu.close());

interface Case {
  name: string;
  path: string;
  init: CallInit;
  /** The exact status, when the case has one. */
  status?: number;
  /** The `Allow` header of a 405. */
  allow?: string;
}

const UUID_LIKE = randomUUID();
const BAD_UUIDS = [
  'not-a-uuid',
  '1234',
  UUID_LIKE.replace(/-/g, ''),
  `${UUID_LIKE}x`,
  `{${UUID_LIKE}}`,
  UUID_LIKE.replace(/^./, 'g'),
  '%00',
  '%E0%A4%A',
  '%2e%2e',
  `${UUID_LIKE}%20`,
  `${UUID_LIKE}%0a`,
  'x'.repeat(5_000),
  '%F0%9F%98%80',
];

const MALFORMED_JSON = [
  '{',
  '{"username":',
  "{'username':'a'}",
  '{"username":"a",}',
  'undefined',
  'NaN',
  '{"username":"a"} trailing',
  '{"username":"a"}{"userId":"b"}',
  '\u0000',
  '<html></html>',
  '--',
];

const NOT_OBJECTS = ['[]', '"string"', 'null', '42', 'true', '[{"username":"a"}]', '{"__proto__":{"userId":"x"}}'];

/** The state-changing endpoints that read a JSON body, with the session they need to get that far. */
function postEndpoints(): Array<[string, CallInit]> {
  return [
    ['/authenticate', {}],
    ['/register', { session: enroller.id }],
    ['/signup', {}],
    [`/tx/${signIn.tx}/verify`, {}],
    [`/tx/${enrol.tx}/verify`, { session: enroller.id }],
  ];
}

function cases(): Case[] {
  const list: Case[] = [];
  const add = (name: string, path: string, init: CallInit, expected: Partial<Case> = {}) => list.push({ name, path, init, ...expected });

  for (const [path, init] of postEndpoints()) {
    for (const raw of MALFORMED_JSON) add(`malformed JSON ${JSON.stringify(raw)}`, path, { ...init, raw }, { status: 400 });
    for (const raw of NOT_OBJECTS) add(`JSON ${raw}`, path, { ...init, raw }, { status: 400 });
    add('invalid UTF-8', path, { ...init, raw: new Uint8Array([0xff, 0xfe, 0x7b, 0x7d]) }, { status: 400 });
    add('65 KB', path, { ...init, raw: `{"x":"${'a'.repeat(66_000)}"}` }, { status: 413 });
    add('1 MB', path, { ...init, raw: new Uint8Array(1_000_000).fill(0x20) }, { status: 413 });
    add('deeply nested', path, { ...init, raw: `${'['.repeat(30_000)}${']'.repeat(30_000)}` }, { status: 400 });
  }
  // `register` may have no body; the others may not.
  for (const [path, init] of postEndpoints().filter(([p]) => p !== '/register')) {
    add('empty body', path, { ...init, method: 'POST' }, { status: 400 });
    add('blank body', path, { ...init, raw: '  \n ' }, { status: 400 });
  }

  // authenticate
  const user = (body: unknown) => ['/authenticate', { body }] as const;
  for (const body of [
    {},
    { user: 'x' },
    { username: 42 },
    { username: null },
    { username: [] },
    { username: ['a@b.co'] },
    { username: {} },
    { username: true },
    { username: '' },
    { username: '   ' },
    { username: '\t\n' },
    { username: 'x'.repeat(257) },
    { username: `${'😀'.repeat(257)}` },
    { username: ` ${'y'.repeat(300)} ` },
    // Not text: an unpaired surrogate cannot even be sent as UTF-8; a control character is never typed.
    { username: '\ud800' },
    { username: 'a\u0000b' },
    { username: 'ada\t@example.com' },
    { userId: 42 },
    { userId: null },
    { userId: '' },
    { userId: 'not-a-uuid' },
    { userId: [UUID_LIKE] },
    { userId: `${UUID_LIKE} ` },
    { userId: { id: UUID_LIKE } },
    { username: 'a@b.co', userId: UUID_LIKE },
    { username: 'a@b.co', userId: null },
    { username: 'a@b.co', extra: 1 },
    { userId: UUID_LIKE, role: 'admin' },
    { username: 'a@b.co', message: 'Pay 1000 EUR to …' },
  ]) {
    add(`authenticate ${JSON.stringify(body).slice(0, 60)}`, ...user(body), { status: 400 });
  }

  // register takes nothing from the browser
  for (const body of [{ userId: UUID_LIKE }, { a: 1 }, { username: 'x' }]) {
    add(`register ${JSON.stringify(body)}`, '/register', { body, session: enroller.id }, { status: 400 });
  }

  // signup
  const person = { email: 'new@example.test', firstName: 'Ada', lastName: 'Lovelace' };
  for (const body of [
    {},
    { email: person.email },
    { email: person.email, firstName: 'Ada' },
    { firstName: 'Ada', lastName: 'Lovelace' },
    { ...person, email: 42 },
    { ...person, email: null },
    { ...person, email: '' },
    { ...person, email: 'not-an-email' },
    { ...person, email: 'a@b' },
    { ...person, email: 'a b@c.de' },
    { ...person, email: `${'e'.repeat(250)}@example.test` },
    { ...person, firstName: 'A' },
    { ...person, firstName: ' A ' },
    { ...person, firstName: 'A'.repeat(51) },
    { ...person, firstName: ['Ada'] },
    { ...person, firstName: 42 },
    { ...person, lastName: null },
    { ...person, lastName: 'L'.repeat(1_000) },
    { ...person, lastName: '' },
    { ...person, role: 'super_admin' },
    { ...person, permissions: ['admin'] },
    { ...person, hasPasskeys: true },
  ]) {
    add(`signup ${JSON.stringify(body).slice(0, 80)}`, '/signup', { body }, { status: 400 });
  }

  // verify: the WebAuthn response's outline is checked here; SendAuth checks the content.
  const real = {
    id: 'AAAA',
    rawId: 'AAAA',
    type: 'public-key',
    clientExtensionResults: {},
    response: { clientDataJSON: 'AAAA', authenticatorData: 'AAAA', signature: 'AAAA', userHandle: 'AAAA' },
  };
  for (const [name, body] of [
    ['{}', {}],
    ['id number', { ...real, id: 1 }],
    ['id empty', { ...real, id: '' }],
    ['id not base64url', { ...real, id: 'a+b/c' }],
    ['rawId missing', { ...real, rawId: undefined }],
    ['type missing', { ...real, type: undefined }],
    ['type wrong', { ...real, type: 'private-key' }],
    ['response missing', { ...real, response: undefined }],
    ['response string', { ...real, response: 'x' }],
    ['response array', { ...real, response: [] }],
    ['response null', { ...real, response: null }],
    ['clientDataJSON missing', { ...real, response: { ...real.response, clientDataJSON: undefined } }],
    ['clientDataJSON number', { ...real, response: { ...real.response, clientDataJSON: 42 } }],
    ['clientDataJSON not base64url', { ...real, response: { ...real.response, clientDataJSON: '{"type":"webauthn.get"}' } }],
    ['authenticatorData missing', { ...real, response: { ...real.response, authenticatorData: undefined } }],
    ['signature empty', { ...real, response: { ...real.response, signature: '' } }],
    ['signature object', { ...real, response: { ...real.response, signature: {} } }],
    ['userHandle number', { ...real, response: { ...real.response, userHandle: 7 } }],
    ['clientExtensionResults string', { ...real, clientExtensionResults: 'x' }],
    ['registration shape', { ...real, response: { clientDataJSON: 'AAAA', attestationObject: 'AAAA' } }],
    ['state verified only', { state: 'verified' }],
  ] as const) {
    add(`verify (authentication) ${name}`, `/tx/${signIn.tx}/verify`, { body }, { status: 400 });
  }
  for (const [name, body] of [
    ['authentication shape', real],
    ['attestationObject missing', { ...real, response: { clientDataJSON: 'AAAA' } }],
    ['attestationObject number', { ...real, response: { clientDataJSON: 'AAAA', attestationObject: 1 } }],
  ] as const) {
    add(`verify (registration) ${name}`, `/tx/${enrol.tx}/verify`, { body, session: enroller.id }, { status: 400 });
  }

  // Bad TX ids in paths, on every TX endpoint.
  for (const id of BAD_UUIDS) {
    add(`GET tx/${id.slice(0, 40)}`, `/tx/${id}`, {}, {});
    add(`DELETE tx/${id.slice(0, 40)}`, `/tx/${id}`, { method: 'DELETE' }, {});
    add(`verify tx/${id.slice(0, 40)}`, `/tx/${id}/verify`, { body: real }, {});
  }
  // Well-formed ids this proxy never handed out.
  add('GET unknown tx', `/tx/${randomUUID()}`, {}, { status: 404 });
  add('DELETE unknown tx', `/tx/${randomUUID()}`, { method: 'DELETE' }, { status: 404 });
  add('verify unknown tx', `/tx/${randomUUID()}/verify`, { body: real }, { status: 404 });

  // Wrong methods: 405 with Allow.
  const tx = signIn.tx;
  for (const [method, path, allow] of [
    ['GET', '/authenticate', 'POST'],
    ['PUT', '/authenticate', 'POST'],
    ['PATCH', '/authenticate', 'POST'],
    ['DELETE', '/authenticate', 'POST'],
    ['GET', '/register', 'POST'],
    ['DELETE', '/register', 'POST'],
    ['GET', '/signup', 'POST'],
    ['GET', `/tx/${tx}/verify`, 'POST'],
    ['PUT', `/tx/${tx}/verify`, 'POST'],
    ['POST', `/tx/${tx}`, 'GET, HEAD, DELETE'],
    ['PUT', `/tx/${tx}`, 'GET, HEAD, DELETE'],
    ['PATCH', `/tx/${tx}`, 'GET, HEAD, DELETE'],
    ['POST', '/me', 'GET, HEAD'],
    ['PUT', '/me', 'GET, HEAD'],
    ['DELETE', '/me', 'GET, HEAD'],
    ['GET', '/me/passkey', 'DELETE'],
    ['POST', '/me/passkey', 'DELETE'],
  ] as const) {
    const init: CallInit = method === 'GET' ? { method, session: enroller.id } : { method, body: {}, session: enroller.id };
    add(`${method} ${path}`, path, init, { status: 405, allow });
  }
  add('OPTIONS /authenticate', '/authenticate', { method: 'OPTIONS', contentType: null }, {});

  // Unknown paths, under the base path and outside it.
  for (const path of [
    '/nope',
    '',
    '/',
    '/authenticate/',
    '/authenticate/extra',
    '/Authenticate',
    '/AUTHENTICATE',
    '/tx',
    '/tx/',
    `/tx/${tx}/verify/extra`,
    `/tx/${tx}/verify/`,
    '/me/',
    '/me/passkey/x',
    '/me/passkeys',
    '/..%2fadmin',
    '/%2e%2e/%2e%2e/etc/passwd',
    '/signup/../authenticate/../nope',
  ]) {
    add(`GET ${path || '(base)'}`, path, {}, { status: 404 });
    add(`POST ${path || '(base)'}`, path, { body: {} }, { status: 404 });
  }
  for (const path of ['/', '/other/authenticate', '/sendauthx/authenticate', '/api/sendauth/authenticate', '/sendauth.evil/x']) {
    add(`GET ${path} (outside)`, '', { url: `${ORIGIN}${path}` }, { status: 404 });
    add(`POST ${path} (outside)`, '', { url: `${ORIGIN}${path}`, body: {} }, { status: 404 });
  }
  return list;
}

async function sweep(list: Case[]): Promise<string[]> {
  const problems: string[] = [];
  for (const c of list) {
    const response = await call(handler, c.path, c.init);
    const text = await response.text();
    const label = `${c.name} → ${response.status} ${text.slice(0, 160)}`;
    try {
      assert.ok(response.status >= 400 && response.status < 500, 'not a 4xx');
      if (c.status !== undefined) assert.equal(response.status, c.status, `expected ${c.status}`);
      if (c.allow !== undefined) assert.equal(response.headers.get('allow'), c.allow, 'Allow header');
      assertErrorShape(response, text);
    } catch (error) {
      problems.push(`${label}: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  return problems;
}

test('every bad input to every endpoint is a 4xx error in the shape, refused before SendAuth', async () => {
  const list = cases();
  assert.ok(list.length > 250, `${list.length} cases`);
  counting.requests.length = 0;
  const problems = await sweep(list);
  assert.deepEqual(problems, []);
  assert.deepEqual(counting.requests, [], 'no bad input reached SendAuth');
  assert.equal(verified.length, 0);
});

test('405 for HEAD on a POST-only endpoint, without a body', async () => {
  const response = await call(handler, '/authenticate', { method: 'HEAD' });
  assert.equal(response.status, 405);
  assert.equal(response.headers.get('allow'), 'POST');
  assert.equal(await response.text(), '');
});

test(
  'a path outside basePath whose prefix has the basePath’s length is 404, not 405',
  async () => {
    for (const path of ['/elsewher/authenticate', '/SENDAUTH/authenticate', '/notsauth/me/passkey']) {
      const response = await call(handler, '', { url: `${ORIGIN}${path}` });
      const text = await response.text();
      assert.equal(response.status, 404, `${path} → ${response.status} ${text}`);
      assert.equal(response.headers.get('allow'), null);
    }
  },
);

test('odd but valid names reach SendAuth and answer no-passkey, not an error', async () => {
  for (const username of ['"; DROP TABLE users; --', '%', '*', '.*', 'a'.repeat(256), '😀'.repeat(256), 'jörg@bücher.de', 'a@b']) {
    const response = await call(handler, '/authenticate', { body: { username } });
    const text = await response.text();
    assert.equal(response.status, 404, `${JSON.stringify(username).slice(0, 40)} → ${response.status} ${text}`);
    assertErrorShape(response, text);
    assert.equal((JSON.parse(text) as { error: { code: string } }).error.code, 'no-passkey');
  }
});

test('a well-formed response that SendAuth rejects is a 4xx too', async () => {
  const user = await createUserWithPasskey(client);
  const start = await expectStart(await call(handler, '/authenticate', { body: { userId: user.id } }), 'authentication');
  const response = await call(handler, `/tx/${start.tx}/verify`, {
    body: { id: 'AAAA', rawId: 'AAAA', type: 'public-key', response: { clientDataJSON: 'AAAA', authenticatorData: 'AAAA', signature: 'AAAA' } },
  });
  const text = await response.text();
  assert.ok(response.status >= 400 && response.status < 500, `${response.status} ${text}`);
  assertErrorShape(response, text);
});

test('after all that, the proxy still serves valid requests, and the TXs it started are untouched', async () => {
  const list = cases();
  await sweep(list);
  assert.equal((await client.checkTransaction(signIn.tx)).state, 'pending');
  assert.equal((await client.checkTransaction(enrol.tx)).state, 'pending');

  const signedIn = await call(handler, `/tx/${signIn.tx}/verify`, { body: await signer.authenticator.authenticate(signIn.options) });
  assert.equal(signedIn.status, 200);
  assert.deepEqual(await readJson(signedIn), { state: 'verified', kind: 'authentication', userId: signer.id });

  const enrolled = await call(handler, `/tx/${enrol.tx}/verify`, {
    body: await new SoftAuthenticator({ origin: ORIGIN }).register(enrol.options),
    session: enroller.id,
  });
  assert.equal(enrolled.status, 200);
  assert.deepEqual(await readJson(enrolled), { state: 'verified', kind: 'registration', userId: enroller.id });

  await expectStart(await call(handler, '/authenticate', { body: { username: signer.email } }), 'authentication');
  await expectStart(await call(handler, '/signup', { body: { email: `${randomUUID()}@example.test`, firstName: 'Ada', lastName: 'Lovelace' } }), 'registration');
  const me = await call(handler, '/me', { session: enroller.id });
  assert.equal(me.status, 200);
  assert.equal((await readJson<{ hasPasskeys: boolean }>(me)).hasPasskeys, true);
});

test('an authenticate body with neither "username" nor "userId" says which to send, and calls no one', async () => {
  const before = counting.requests.length;
  for (const body of [{}, { mode: 'approval' }]) {
    const response = await call(handler, '/authenticate', { body });
    assert.equal(response.status, 400);
    assert.deepEqual(await readJson(response), { error: { code: 'invalid-request', message: 'Send "username" (what the visitor typed) or "userId".' } });
  }
  assert.equal(counting.requests.length, before);
});
