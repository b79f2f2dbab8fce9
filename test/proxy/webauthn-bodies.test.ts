/**
 * What a visitor can put in a WebAuthn response body (issue 10 §5): the proxy
 * forwards only the fields SendAuth needs, refuses unreasonable nesting with a
 * 400, never reports a visitor's body as an upstream failure, and takes
 * `userHandle: ""` (an empty buffer, as `@simplewebauthn/browser` sends it for
 * older Safari) as no user handle.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_JSON_DEPTH } from '../../src/proxy/validate.js';
import { WIRE } from '../../src/wire.js';
import {
  apiClient,
  call,
  client,
  createUser,
  createUserWithPasskey,
  emu,
  expectError,
  expectStart,
  ORIGIN,
  proxyFactory,
  readJson,
  SoftAuthenticator,
  useEmulator,
} from '../support/proxy-fixture.js';

useEmulator();
const proxy = proxyFactory();

/** A `fetch` for the proxy's SendAuth client that keeps each JSON body it sends to the ceremony endpoint. */
function recordingCeremonyBodies(): { fetch: typeof fetch; bodies: unknown[] } {
  const bodies: unknown[] = [];
  const recording: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    if (request.method === 'POST' && request.url.endsWith('/webauthn')) bodies.push(await request.clone().json());
    return fetch(request);
  };
  return { fetch: recording, bodies };
}

function nested(depth: number): unknown {
  let value: unknown = {};
  for (let i = 0; i < depth; i += 1) value = { a: value };
  return value;
}

test('a clientExtensionResults 5,000 levels deep (30 KB) is a 400, nothing is reported, and the TX still signs in', async () => {
  const { handler, errors } = proxy();
  const user = await createUserWithPasskey(client);
  const start = await expectStart(await call(handler, '/authenticate', { body: { userId: user.id } }), 'authentication');
  if (start.kind !== 'authentication') throw new Error('unreachable');
  const real = await user.authenticator.authenticate(start.options);
  // Written out by hand: JSON.stringify itself overflows the stack at this depth.
  const deep = `${'{"a":'.repeat(5_000)}{}${'}'.repeat(5_000)}`;
  const raw = JSON.stringify({ ...real, clientExtensionResults: 'DEEP' }).replace('"DEEP"', deep);
  assert.ok(raw.length > 30_000 && raw.length < 65_536, `${raw.length} bytes: under the body cap`);

  const error = await expectError(await call(handler, `/tx/${start.tx}/verify`, { raw }), 400, 'invalid-request');
  assert.match(error.error.message, /nested more than \d+ levels/);
  assert.deepEqual(errors, [], 'a visitor’s body is no upstream failure');
  assert.equal((await client.checkTransaction(start.tx)).state, 'pending');

  const verified = await call(handler, `/tx/${start.tx}/verify`, { body: real });
  assert.deepEqual(await readJson(verified), { state: 'verified', kind: 'authentication', userId: user.id });
});

test(`nesting deeper than ${MAX_JSON_DEPTH} levels is a 400 on every endpoint that reads a body (from the wire table)`, async () => {
  const { handler, errors } = proxy({ allowSignup: true, rateLimit: false });
  const user = await createUser(client);
  const start = await expectStart(await call(handler, '/register', { body: {}, session: user.id }), 'registration');
  for (const { method, path } of Object.values(WIRE).filter((entry) => entry.method === 'POST')) {
    const url = `/${path.replace(':tx', start.tx)}`;
    for (const raw of [JSON.stringify({ username: nested(MAX_JSON_DEPTH) }), `${'['.repeat(100_000)}${']'.repeat(100_000)}`.slice(0, 60_000)]) {
      const answer = await call(handler, url, { method, raw, session: user.id });
      await expectError(answer, 400, 'invalid-request');
    }
  }
  assert.deepEqual(errors, []);
});

test('only the fields SendAuth needs are forwarded: unknown keys and extension outputs stay behind', async () => {
  const recording = recordingCeremonyBodies();
  const { handler, errors } = proxy({ sendauth: apiClient(emu, { fetch: recording.fetch }) });
  const user = await createUserWithPasskey(client);
  const start = await expectStart(await call(handler, '/authenticate', { body: { userId: user.id } }), 'authentication');
  if (start.kind !== 'authentication') throw new Error('unreachable');
  const real = await user.authenticator.authenticate(start.options);
  const padded = {
    ...real,
    role: 'super_admin',
    __proto__: { polluted: true },
    authenticatorAttachment: 'platform',
    clientExtensionResults: { credProps: { rk: true, extra: 1 }, prf: { results: { first: 'AAAA' } }, unknown: [1, 2, 3] },
    response: { ...real.response, extra: 'x', userHandle: real.response.userHandle },
  };
  const answer = await call(handler, `/tx/${start.tx}/verify`, { raw: JSON.stringify(padded) });
  assert.deepEqual(await readJson(answer), { state: 'verified', kind: 'authentication', userId: user.id });
  assert.deepEqual(recording.bodies, [
    {
      id: real.id,
      rawId: real.rawId,
      type: 'public-key',
      authenticatorAttachment: 'platform',
      clientExtensionResults: { credProps: { rk: true } },
      response: {
        clientDataJSON: real.response.clientDataJSON,
        authenticatorData: real.response.authenticatorData,
        signature: real.response.signature,
        ...(real.response.userHandle === undefined ? {} : { userHandle: real.response.userHandle }),
      },
    },
  ]);
  assert.deepEqual(errors, []);
});

test('a registration response keeps its transports, public key and algorithm, and nothing else', async () => {
  const recording = recordingCeremonyBodies();
  const { handler } = proxy({ sendauth: apiClient(emu, { fetch: recording.fetch }) });
  const user = await createUser(client);
  const start = await expectStart(await call(handler, '/register', { body: {}, session: user.id }), 'registration');
  if (start.kind !== 'registration') throw new Error('unreachable');
  const real = await new SoftAuthenticator({ origin: ORIGIN }).register(start.options);
  const body = { ...real, response: { ...real.response, transports: ['internal', 'hybrid'], publicKeyAlgorithm: -7, junk: { deep: [1] } } };
  const answer = await call(handler, `/tx/${start.tx}/verify`, { body, session: user.id });
  assert.equal(answer.status, 200, JSON.stringify(await readJson(answer)));
  const sent = recording.bodies[0] as { response: Record<string, unknown> };
  assert.deepEqual(Object.keys(sent.response).sort(), [
    'attestationObject',
    'clientDataJSON',
    'publicKeyAlgorithm',
    'transports',
    ...Object.keys(real.response).filter((key) => ['publicKey', 'authenticatorData'].includes(key)),
  ].sort());
  assert.deepEqual(sent.response.transports, ['internal', 'hybrid']);
});

test('userHandle "" (an empty buffer, as older Safari reports it) is taken as no user handle, and verifies', async () => {
  const recording = recordingCeremonyBodies();
  const { handler } = proxy({ sendauth: apiClient(emu, { fetch: recording.fetch }) });
  for (const emptyHandle of ['', null]) {
    const user = await createUserWithPasskey(client);
    const start = await expectStart(await call(handler, '/authenticate', { body: { userId: user.id } }), 'authentication');
    if (start.kind !== 'authentication') throw new Error('unreachable');
    const real = await user.authenticator.authenticate(start.options);
    const answer = await call(handler, `/tx/${start.tx}/verify`, { body: { ...real, response: { ...real.response, userHandle: emptyHandle } } });
    assert.deepEqual(await readJson(answer), { state: 'verified', kind: 'authentication', userId: user.id }, JSON.stringify(emptyHandle));
    assert.equal('userHandle' in (recording.bodies.at(-1) as { response: object }).response, false);
  }
});

test('a malformed field of a response is a 400 naming it, never an upstream failure', async () => {
  const { handler, errors } = proxy();
  const user = await createUserWithPasskey(client);
  const start = await expectStart(await call(handler, '/authenticate', { body: { userId: user.id } }), 'authentication');
  if (start.kind !== 'authentication') throw new Error('unreachable');
  const real = await user.authenticator.authenticate(start.options);
  for (const [name, body] of [
    ['userHandle not base64url', { ...real, response: { ...real.response, userHandle: 'not base64!' } }],
    ['clientExtensionResults a list', { ...real, clientExtensionResults: [] }],
    ['signature a number', { ...real, response: { ...real.response, signature: 1 } }],
    ['id with a lone surrogate', { ...real, id: '\ud800' }],
  ] as const) {
    const answer = await call(handler, `/tx/${start.tx}/verify`, { body });
    const error = await expectError(answer, 400, 'invalid-request');
    assert.match(error.error.message, /"|object/, name);
  }
  assert.deepEqual(errors, []);
});
