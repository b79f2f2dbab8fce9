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
import { lenientClient } from '../support/proxy-security-fixture.js';
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

test('a verify whose claim fails in the store answers 503, leaves no marker behind, and the same verify then signs in (with claimIf or without)', async () => {
  const user = await createUserWithPasskey(client);
  // The claim's third step fails with claimIf's fallback (the marker taken, then the count fails);
  // with claimIf, the one atomic step fails as a whole. Either way the TX is not held afterwards.
  const cases: Array<[string, (inner: MemoryStore, failNext: () => boolean) => ProxyStore]> = [
    ['without claimIf', (inner, failNext) => ({
      get: (k) => inner.get(k),
      set: (k, v, t) => inner.set(k, v, t),
      setIfAbsent: (k, v, t) => inner.setIfAbsent(k, v, t),
      delete: (k) => inner.delete(k),
      hit: (k, w) => (k.startsWith('attempts:') && failNext() ? Promise.reject(new Error('READONLY You can\'t write against a read only replica.')) : inner.hit(k, w)),
    })],
    ['with claimIf', (inner, failNext) => ({
      get: (k) => inner.get(k),
      set: (k, v, t) => inner.set(k, v, t),
      setIfAbsent: (k, v, t) => inner.setIfAbsent(k, v, t),
      delete: (k) => inner.delete(k),
      hit: (k, w) => inner.hit(k, w),
      claimIf: (claim) => (failNext() ? Promise.reject(new Error('READONLY You can\'t write against a read only replica.')) : inner.claimIf(claim)),
    })],
  ];
  for (const [name, make] of cases) {
    let failures = 1;
    const inner = new MemoryStore();
    const { handler, verified, errors } = proxy({ store: make(inner, () => failures-- > 0) });
    const start = await expectStart(await call(handler, '/authenticate', { body: { username: user.email } }), 'authentication');
    if (start.kind !== 'authentication') throw new Error('unreachable');
    const response = await user.authenticator.authenticate(start.options, { origin: ORIGIN });
    await expectError(await call(handler, `/tx/${start.tx}/verify`, { body: response }), 503, 'upstream');
    assert.equal(await inner.get(`verifying:{${start.tx}}`), undefined, `${name}: no marker left that nobody holds`);
    assert.equal(errors.length, 1, `${name}: the failure reported`);
    const again = await call(handler, `/tx/${start.tx}/verify`, { body: response });
    assert.equal(again.status, 200, `${name}: ${await again.clone().text()}`);
    assert.equal(verified.length, 1, name);
  }
});

test('without claimIf, on an instance whose clock runs ahead, the verify marker still outlives the binding: a late replay is refused (SendAuth lenient)', async () => {
  const clock = manualClock();
  const inner = new MemoryStore(clock.now);
  let failBindingWrite = false;
  // The shared store (its own clock), without claimIf; the binding's `verified` write can be made to fail.
  const store: ProxyStore = {
    get: (k) => inner.get(k),
    set: (k, v, t) => (failBindingWrite && k.startsWith('tx:') ? Promise.reject(new Error('connection lost')) : inner.set(k, v, t)),
    setIfAbsent: (k, v, t) => inner.setIfAbsent(k, v, t),
    delete: (k) => inner.delete(k),
    hit: (k, w) => inner.hit(k, w),
  };
  const AHEAD_MS = 30_000;
  const starter = proxy({ store, now: clock.now });
  const lenient = lenientClient();
  const ahead = proxy({ store, now: () => clock.now() + AHEAD_MS, sendauth: lenient });
  const user = await createUserWithPasskey(client);
  const start = await expectStart(await call(starter.handler, '/authenticate', { body: { username: user.email } }), 'authentication');
  if (start.kind !== 'authentication') throw new Error('unreachable');
  const response = await user.authenticator.authenticate(start.options, { origin: ORIGIN });

  failBindingWrite = true; // the write after SendAuth said verified is lost; the marker alone refuses replays
  assert.equal((await call(ahead.handler, `/tx/${start.tx}/verify`, { body: response })).status, 200);
  failBindingWrite = false;
  const { expiresAt } = JSON.parse((await inner.get(`tx:{${start.tx}}`))!) as { expiresAt: number };
  clock.advance(expiresAt - clock.now() - AHEAD_MS / 3); // the binding still lives
  for (const { handler } of [ahead, starter]) await expectError(await call(handler, `/tx/${start.tx}/verify`, { body: response }), 409, 'replayed');
  assert.equal(lenient.completed, 1, 'SendAuth was asked once');
  assert.equal(ahead.verified.length + starter.verified.length, 1, 'one onVerified');
});
