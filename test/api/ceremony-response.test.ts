/**
 * `SendAuthClient.completeCeremony` sends only the fields of the WebAuthn
 * response SendAuth needs (`api/ceremony-response.ts`, shared with the proxy):
 * whatever else the caller's object holds — a 100,000-level extension output,
 * a cycle, unknown keys — neither reaches SendAuth nor makes the client report
 * SendAuth as unreachable; a malformed field is a status-0 `invalid-request`.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { SendAuthClient } from '../../src/api/index.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import type { CeremonyResponse } from '../../src/types.js';
import { SoftAuthenticator } from '../support/soft-authenticator.js';
import { PASSWORD, rejectsWith, USERNAME } from './helpers.js';

let emu: RunningEmulator;
let client: SendAuthClient;
const bodies: unknown[] = [];
const ORIGIN = 'http://localhost:5173';

before(async () => {
  emu = await startEmulator({ port: 0, username: USERNAME, password: PASSWORD });
  const recording: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    if (request.method === 'POST' && request.url.endsWith('/webauthn')) bodies.push(await request.clone().json());
    return fetch(request);
  };
  client = new SendAuthClient({ baseUrl: emu.url, username: USERNAME, password: PASSWORD, fetch: recording });
});
after(() => emu.close());

async function userWithPasskey() {
  const authenticator = new SoftAuthenticator({ origin: ORIGIN });
  const user = await client.createUser({ firstName: 'Ada', lastName: 'Lovelace', email: `${crypto.randomUUID()}@example.com` });
  const { tx } = await client.registerUser(user.id!);
  const ceremony = await client.getCeremony(tx);
  if (ceremony.kind !== 'registration') throw new Error('unreachable');
  await client.completeCeremony(tx, await authenticator.register(ceremony.options));
  return { userId: user.id!, authenticator };
}

async function signInTx(userId: string) {
  const { tx } = await client.authenticateUser(userId);
  const ceremony = await client.getCeremony(tx);
  if (ceremony.kind !== 'authentication') throw new Error('unreachable');
  return { tx, options: ceremony.options };
}

test('junk around a real response (100,000 levels deep, a cycle, unknown keys) stays behind; the response verifies', async () => {
  const { userId, authenticator } = await userWithPasskey();
  const { tx, options } = await signInTx(userId);
  const real = await authenticator.authenticate(options);
  let deep: Record<string, unknown> = {};
  for (let i = 0; i < 100_000; i += 1) deep = { a: deep };
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  const padded = { ...real, extra: cyclic, clientExtensionResults: { appid: false, junk: deep }, response: { ...real.response, more: deep } };
  bodies.length = 0;
  assert.deepEqual(await client.completeCeremony(tx, padded as unknown as CeremonyResponse), { state: 'verified' });
  const sent = bodies[0] as Record<string, unknown>;
  const known = ['clientExtensionResults', 'id', 'rawId', 'response', 'type', ...('authenticatorAttachment' in real ? ['authenticatorAttachment'] : [])];
  assert.deepEqual(Object.keys(sent).sort(), known.sort());
  assert.deepEqual(Object.keys(sent.response as object).sort(), Object.keys(real.response).sort());
  assert.deepEqual(sent.clientExtensionResults, { appid: false });
});

test('userHandle "" is sent as no user handle and verifies', async () => {
  const { userId, authenticator } = await userWithPasskey();
  const { tx, options } = await signInTx(userId);
  const real = await authenticator.authenticate(options);
  bodies.length = 0;
  assert.deepEqual(await client.completeCeremony(tx, { ...real, response: { ...real.response, userHandle: '' } }), { state: 'verified' });
  assert.equal('userHandle' in (bodies[0] as { response: object }).response, false);
});

test('a malformed field is refused before sending, naming it', async () => {
  const { userId, authenticator } = await userWithPasskey();
  const { tx, options } = await signInTx(userId);
  const real = await authenticator.authenticate(options);
  bodies.length = 0;
  for (const [field, response] of [
    ['response.signature', { ...real, response: { ...real.response, signature: 42 } }],
    ['rawId', { ...real, rawId: 'a+b/c' }],
    ['clientExtensionResults', { ...real, clientExtensionResults: 'x' }],
    ['response.transports', { ...real, response: { ...real.response, attestationObject: 'AAAA', transports: Array(100).fill('usb') } }],
  ] as const) {
    await rejectsWith(client.completeCeremony(tx, response as unknown as CeremonyResponse), {
      code: 'invalid-request',
      status: 0,
      message: new RegExp(`"${field.replace('.', '\\.')}"`),
    });
  }
  assert.deepEqual(bodies, []);
  assert.deepEqual(await client.checkTransaction(tx), { state: 'pending' });
});
