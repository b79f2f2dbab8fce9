/**
 * The proxy's store: the memory store keeps the contract every store keeps,
 * and a store that fails makes the proxy fail closed — 503 `upstream`,
 * reported, nothing let through — and recover by itself.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { MemoryStore, type ProxyStore } from '../../src/proxy/store.js';
import { storeContract } from '../support/store-contract.js';
import { call, client, createUserWithPasskey, expectError, expectStart, manualClock, ORIGIN, proxyFactory, useEmulator } from '../support/proxy-fixture.js';

storeContract('MemoryStore', async () => {
  const clock = manualClock();
  return { store: new MemoryStore(clock.now), elapse: async (ms) => clock.advance(ms) };
});

useEmulator();
const proxy = proxyFactory();

/** A memory store that can be switched off, as Redis going down would. */
function switchableStore(): { store: ProxyStore; down: (isDown: boolean) => void } {
  const inner = new MemoryStore();
  let isDown = false;
  const failing =
    <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> =>
      isDown ? Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:6379')) : call(...args);
  return {
    store: {
      get: failing((k) => inner.get(k)),
      set: failing((k, v, t) => inner.set(k, v, t)),
      setIfAbsent: failing((k, v, t) => inner.setIfAbsent(k, v, t)),
      delete: failing((k) => inner.delete(k)),
      hit: failing((k, w) => inner.hit(k, w)),
    },
    down: (value) => {
      isDown = value;
    },
  };
}

test('a failing store: starts and verifies answer 503 upstream, it is reported, and all works again once it is back', async () => {
  const { store, down } = switchableStore();
  const { handler, errors, verified } = proxy({ store });
  const user = await createUserWithPasskey(client);

  const start = await expectStart(await call(handler, '/authenticate', { body: { username: user.email } }), 'authentication');
  if (start.kind !== 'authentication') throw new Error('unreachable');
  const response = await user.authenticator.authenticate(start.options, { origin: ORIGIN });

  down(true);
  await expectError(await call(handler, '/authenticate', { body: { username: user.email } }), 503, 'upstream');
  await expectError(await call(handler, `/tx/${start.tx}/verify`, { body: response }), 503, 'upstream');
  await expectError(await call(handler, `/tx/${start.tx}`), 503, 'upstream');
  assert.equal(verified.length, 0, 'nothing verified while the store was down');
  assert.ok(errors.length >= 3 && errors.every((error) => /ECONNREFUSED/.test(String(error))), 'each failure reported');

  down(false);
  const answer = await call(handler, `/tx/${start.tx}/verify`, { body: response });
  assert.equal(answer.status, 200, await answer.clone().text());
  assert.equal(verified.length, 1);
});

test('the deprecated txStore and rateLimit.store still work', async () => {
  const { MemoryTxBindingStore } = await import('../../src/proxy/index.js');
  const { MemoryRateLimitStore } = await import('../../src/proxy/index.js');
  const { handler, verified } = proxy({ txStore: new MemoryTxBindingStore(), rateLimit: { limit: 1, ipLimit: 1, store: new MemoryRateLimitStore() } });
  const user = await createUserWithPasskey(client);
  const start = await expectStart(await call(handler, '/authenticate', { body: { username: user.email } }), 'authentication');
  if (start.kind !== 'authentication') throw new Error('unreachable');
  const answer = await call(handler, `/tx/${start.tx}/verify`, { body: await user.authenticator.authenticate(start.options, { origin: ORIGIN }) });
  assert.equal(answer.status, 200);
  assert.equal(verified.length, 1);
  await expectError(await call(handler, '/authenticate', { body: { userId: randomUUID() } }), 429, 'rate-limited');
});

test('a store with only the five basic calls (no claimIf) serves verify alike: once-only, and a stranger spends nothing', async () => {
  const { store: inner } = switchableStore();
  const calls: string[] = [];
  const store: ProxyStore = {
    get: (k) => (calls.push(`get ${k}`), inner.get(k)),
    set: (k, v, t) => inner.set(k, v, t),
    setIfAbsent: (k, v, t) => (calls.push(`setIfAbsent ${k}`), inner.setIfAbsent(k, v, t)),
    delete: (k) => inner.delete(k),
    hit: (k, w) => (calls.push(`hit ${k}`), inner.hit(k, w)),
  };
  const { handler, verified } = proxy({ store });
  const user = await createUserWithPasskey(client);
  const start = await expectStart(await call(handler, '/authenticate', { body: { username: user.email } }), 'authentication');
  if (start.kind !== 'authentication') throw new Error('unreachable');

  // A response made for another challenge (a stranger who knows only the TX id): refused, no marker, no budget.
  const foreign = await user.authenticator.authenticate({ ...start.options, challenge: Buffer.from('another challenge').toString('base64url') }, { origin: ORIGIN });
  calls.length = 0;
  await expectError(await call(handler, `/tx/${start.tx}/verify`, { body: foreign }), 400, 'invalid-request');
  assert.deepEqual(calls, [`get tx:{${start.tx}}`], 'only the binding was read');

  const response = await user.authenticator.authenticate(start.options, { origin: ORIGIN });
  const answers = await Promise.all([1, 2, 3].map(() => call(handler, `/tx/${start.tx}/verify`, { body: response })));
  assert.deepEqual(answers.map((answer) => answer.status).sort(), [200, 409, 409]);
  for (const answer of answers.filter((a) => a.status === 409)) assert.equal(((await answer.json()) as { error: { code: string } }).error.code, 'replayed');
  assert.equal(verified.length, 1, 'one onVerified');
  await expectError(await call(handler, `/tx/${start.tx}/verify`, { body: response }), 409, 'replayed');
});
