/**
 * Approval on another device across three proxy processes sharing one Redis
 * behind a round-robin forwarder (`test/support/proxy-instances.ts`), against
 * an emulator serving only SendAuth's public spec: waits on different
 * instances see the approval, and a dozen completions at once, spread over all
 * three, give one sign-in; every key the flow leaves in Redis has a TTL.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createClient } from 'redis';
import type { SendAuthClient } from '../../src/api/index.js';
import type { RunningEmulator } from '../../src/emulator/index.js';
import type { StartAnswer } from '../../src/wire.js';
import { approveOnDevice } from '../support/approve-on-device.js';
import { createUser, ORIGIN, readJson, SoftAuthenticator } from '../support/proxy-fixture.js';
import type { ProxyInstances } from '../support/proxy-instances.js';
import { startRedisProxyStack, type RedisProxyStack } from '../support/redis-proxy-stack.js';
import { keysWithoutTtl, type RedisServer } from '../support/redis-server.js';

let redisServer: RedisServer;
let emulator: RunningEmulator;
let sendauth: SendAuthClient;
let proxies: ProxyInstances;
let stack: RedisProxyStack | undefined;

before(async () => {
  stack = await startRedisProxyStack({
    emulator: { ceremonyEndpoints: false },
    options: { allowedOrigins: [ORIGIN], ceremony: 'approval', rateLimit: false, approval: { rateLimit: false, pollIntervalMs: 200 } },
  });
  ({ redisServer, emulator, sendauth, proxies } = stack);
});
after(() => stack?.close());

const post = (body: unknown): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json', origin: ORIGIN }, body: JSON.stringify(body) });
const servedBy = (response: Response): number => Number(response.headers.get('x-served-by'));

test('an approval completion is once-only across three proxy instances', async () => {
  const user = await createUser(sendauth);
  const authenticator = new SoftAuthenticator({ origin: ORIGIN });
  await approveOnDevice(emulator, (await sendauth.registerUser(user.id)).tx, authenticator);

  const startAnswer = await proxies.fetch('/sendauth/authenticate', post({ username: user.email }));
  const start = await readJson<StartAnswer>(startAnswer);
  assert.equal(startAnswer.status, 201, JSON.stringify(start));
  if (start.mode !== 'approval') throw new Error('expected an approval start');

  // Two browsers' waits on two other instances: both see the approval the person gives.
  const waits = [proxies.fetch(`/sendauth/tx/${start.tx}?wait=10`), proxies.fetch(`/sendauth/tx/${start.tx}?wait=10`)];
  await approveOnDevice(emulator, start.tx, authenticator);
  const waited = await Promise.all(waits);
  assert.deepEqual(new Set(waited.map(servedBy)).size, 2, 'the waits went to two instances');
  for (const answer of waited) assert.deepEqual(await readJson(answer), { state: 'verified' });

  const completions = await Promise.all(Array.from({ length: 12 }, () => proxies.fetch(`/sendauth/tx/${start.tx}/complete`, post({ proof: start.proof }))));
  assert.deepEqual(new Set(completions.map(servedBy)), new Set([0, 1, 2]), 'every instance took some');
  assert.deepEqual(completions.map((answer) => answer.status).sort(), [200, ...Array<number>(11).fill(409)]);
  const verified = (await proxies.events('verified')).filter((event) => event.tx === start.tx);
  assert.equal(verified.length, 1, 'one onVerified across the three');
  assert.deepEqual(await proxies.events('error'), []);

  const client = await createClient({ url: redisServer.url }).on('error', () => undefined).connect();
  try {
    const { keys, withoutTtl } = await keysWithoutTtl(client);
    for (const prefix of ['tx:', 'completed:', 'state:']) assert.ok(keys.some((key) => key.startsWith(`sendauth:${prefix}`)), `${prefix} in ${keys.join(' ')}`);
    assert.deepEqual(withoutTtl, []);
  } finally {
    client.destroy();
  }
});
