/**
 * Redis killed in the middle of a run under three proxy processes
 * (`test/support/proxy-instances.ts`): every instance answers 503 `upstream`
 * within the store's `timeoutMs` (not the client's 5 s, not never), tells
 * `onError`, keeps running, and signs people in again once Redis is back on
 * the same port — with nothing left in Redis that never expires. And Redis
 * stalling in the middle of a verify, after its claim: the sign-in SendAuth
 * confirmed stands, once, and the TX stays closed to replays.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test } from 'node:test';
import { createClient } from 'redis';
import { SendAuthClient } from '../../src/api/index.js';
import { createRedisStore, createSendAuthProxy, RedisStoreError, type VerifiedEvent } from '../../src/proxy/index.js';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { API_PASSWORD, API_USERNAME, call, createUserWithPasskey, expectError, expectStart, ORIGIN, readJson } from '../support/proxy-fixture.js';
import type { ProxyInstances } from '../support/proxy-instances.js';
import { startRedisProxyStack, type RedisProxyStack } from '../support/redis-proxy-stack.js';
import { keysWithoutTtl, type RedisServer } from '../support/redis-server.js';

const TIMEOUT_MS = 400;
/** How far past `TIMEOUT_MS` an answer may come on a loaded machine; still well short of node-redis's 5 s. */
const SLACK_MS = 1_600;

let redisServer: RedisServer;
let emulator: RunningEmulator;
let sendauth: SendAuthClient;
let proxies: ProxyInstances;
let stack: RedisProxyStack | undefined;

before(async () => {
  stack = await startRedisProxyStack({
    redis: { timeoutMs: TIMEOUT_MS },
    options: { allowedOrigins: [ORIGIN], rateLimit: { limit: 50, windowMs: 60_000 } },
  });
  ({ redisServer, emulator, sendauth, proxies } = stack);
});
after(() => stack?.close());

const post = (body: unknown): RequestInit & { clientIp: string } => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', origin: ORIGIN },
  body: JSON.stringify(body),
  clientIp: '203.0.113.9',
});
const servedBy = (response: Response): number => Number(response.headers.get('x-served-by'));

type User = Awaited<ReturnType<typeof createUserWithPasskey>>;

/** Start through the forwarder, sign, verify on the next instance; the verify answer. */
async function signIn(user: User): Promise<Response> {
  const start = await expectStart(await proxies.fetch('/sendauth/authenticate', post({ username: user.email })), 'authentication');
  if (start.kind !== 'authentication') throw new Error('unreachable');
  return proxies.fetch(`/sendauth/tx/${start.tx}/verify`, post(await user.authenticator.authenticate(start.options, { origin: ORIGIN })));
}

/** A request and how long its answer took, in ms. */
async function timed(request: Promise<Response>): Promise<{ response: Response; ms: number }> {
  const started = performance.now();
  const response = await request;
  await response.clone().arrayBuffer();
  return { response, ms: performance.now() - started };
}

test('Redis killed mid-run: 503 upstream within timeoutMs from every instance, reported, no crash; all works again after a restart', async () => {
  const user = await createUserWithPasskey(sendauth);
  const before = await signIn(user);
  assert.equal(before.status, 200, await before.clone().text());

  // A ceremony under way when Redis goes: started and signed, not yet verified.
  const pending = await expectStart(await proxies.fetch('/sendauth/authenticate', post({ username: user.email })), 'authentication');
  if (pending.kind !== 'authentication') throw new Error('unreachable');
  const pendingResponse = await user.authenticator.authenticate(pending.options, { origin: ORIGIN });
  const verifiedBefore = (await proxies.events('verified')).length;

  await redisServer.kill();

  // Each instance in turn, for each route that needs the store.
  const answers = [];
  for (let i = 0; i < 3; i += 1) answers.push(await timed(proxies.fetch('/sendauth/authenticate', post({ username: user.email }))));
  for (let i = 0; i < 3; i += 1) answers.push(await timed(proxies.fetch(`/sendauth/tx/${pending.tx}/verify`, post(pendingResponse))));
  answers.push(await timed(proxies.fetch(`/sendauth/tx/${pending.tx}`, { clientIp: '203.0.113.9' })));
  assert.deepEqual(new Set(answers.map(({ response }) => servedBy(response))), new Set([0, 1, 2]));
  for (const { response, ms } of answers) {
    const { error } = await expectError(response, 503, 'upstream');
    assert.match(error.message, /store is unavailable/);
    assert.ok(ms < TIMEOUT_MS + SLACK_MS, `answered after ${Math.round(ms)} ms (timeoutMs ${TIMEOUT_MS})`);
  }
  assert.equal((await proxies.events('verified')).length, verifiedBefore, 'nobody was signed in while the store was down');
  const errors = await proxies.events('error');
  assert.deepEqual(new Set(errors.map(({ index }) => index)), new Set([0, 1, 2]), 'every instance told its onError');
  for (const error of errors) assert.equal(error.name, 'RedisStoreError', `${error.name}: ${error.message}`);
  assert.ok(errors.some((error) => /did not answer within 400 ms/.test(error.message)), errors.map((e) => e.message).join('\n'));
  assert.deepEqual(proxies.exited(), [], 'no instance crashed');

  await redisServer.restart();
  // Each instance's client reconnects by itself; until it has, its answers stay 503.
  for (const instance of proxies.instances) {
    const until = Date.now() + 15_000;
    for (;;) {
      const probe = await fetch(`${instance.url}/sendauth/tx/${randomUUID()}`);
      if (probe.status === 404) break;
      await expectError(probe, 503, 'upstream');
      assert.ok(Date.now() < until, `instance ${instance.index} did not recover within 15 s`);
      await sleep(100);
    }
  }
  // The restarted Redis kept nothing (no persistence): the TX under way is unknown now, not let through.
  await expectError(await proxies.fetch(`/sendauth/tx/${pending.tx}/verify`, post(pendingResponse)), 404, 'tx-not-found');
  // New ceremonies succeed, started and verified on different instances.
  for (let i = 0; i < 3; i += 1) {
    const answer = await signIn(user);
    assert.equal(answer.status, 200, await answer.clone().text());
    assert.deepEqual(await readJson(answer), { state: 'verified', kind: 'authentication', userId: user.id });
  }
  assert.equal((await proxies.events('verified')).length, verifiedBefore + 3);
  assert.deepEqual(proxies.exited(), []);

  const client = await createClient({ url: redisServer.url }).on('error', () => undefined).connect();
  try {
    const { keys, withoutTtl } = await keysWithoutTtl(client);
    assert.ok(keys.length > 0);
    assert.deepEqual(withoutTtl, [], 'every key expires');
  } finally {
    client.destroy();
  }
});

test('Redis stalls right after a verify claimed its TX and SendAuth said verified: signed in once, the lost write reported, every replay refused, nothing without a TTL', async () => {
  const redis = await createClient({ url: redisServer.url }).on('error', () => undefined).connect();
  const control = await createClient({ url: redisServer.url }).on('error', () => undefined).connect();
  // Long enough for the verify (one timed-out SET) and a replay (another) to be answered while Redis
  // still takes no writes, on a loaded machine too: at 3 × TIMEOUT_MS that left about 0.2 s.
  const PAUSE_MS = TIMEOUT_MS * 6;
  let pausedUntil = 0;
  /** SendAuth as it is, except that once it has answered a ceremony, Redis stops taking writes for a while. */
  class StallingAfterCeremony extends SendAuthClient {
    override async completeCeremony(...args: Parameters<SendAuthClient['completeCeremony']>) {
      const result = await super.completeCeremony(...args);
      await control.sendCommand(['CLIENT', 'PAUSE', String(PAUSE_MS), 'WRITE']);
      pausedUntil = Date.now() + PAUSE_MS;
      return result;
    }
  }
  const verified: VerifiedEvent[] = [];
  const errors: unknown[] = [];
  const handler = createSendAuthProxy({
    sendauth: new StallingAfterCeremony({ baseUrl: emulator.url, username: API_USERNAME, password: API_PASSWORD }),
    store: createRedisStore(redis, { timeoutMs: TIMEOUT_MS }),
    onVerified: (event) => void verified.push(event),
    onError: (error) => void errors.push(error),
  });
  try {
    const user = await createUserWithPasskey(sendauth);
    const start = await expectStart(await call(handler, '/authenticate', { body: { username: user.email } }), 'authentication');
    if (start.kind !== 'authentication') throw new Error('unreachable');
    const response = await user.authenticator.authenticate(start.options, { origin: ORIGIN });

    const answer = await call(handler, `/tx/${start.tx}/verify`, { body: response });
    assert.equal(answer.status, 200, await answer.clone().text());
    assert.deepEqual(await readJson(answer), { state: 'verified', kind: 'authentication', userId: user.id });
    assert.ok(Date.now() < pausedUntil, 'answered while Redis still took no writes');
    assert.ok(errors.some((error) => error instanceof RedisStoreError && error.timedOut && error.command === 'SET'), errors.map(String).join('\n'));
    // While Redis stalls, a replay cannot claim the TX: refused, never let through.
    await expectError(await call(handler, `/tx/${start.tx}/verify`, { body: response }), 503, 'upstream');

    await sleep(Math.max(0, pausedUntil - Date.now()) + 100);
    await expectError(await call(handler, `/tx/${start.tx}/verify`, { body: response }), 409, 'replayed');
    assert.equal(verified.length, 1, 'one onVerified');
    const { withoutTtl } = await keysWithoutTtl(redis);
    assert.deepEqual(withoutTtl, [], 'every key expires');
    assert.ok((await redis.pTTL(`sendauth:verifying:{${start.tx}}`)) > 0, 'the marker is held, with a TTL');
  } finally {
    redis.destroy();
    control.destroy();
  }
});
