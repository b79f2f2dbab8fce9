/**
 * Security rule: ceremony starts are rate limited, per client IP and per
 * user, with Retry-After.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import { MemoryRateLimitStore, type RateLimitHit, type RateLimitStore } from '../../src/proxy/index.js';
import { apiClient, call, countingFetch, createUser, createUserWithPasskey, expectError, expectStart, manualClock } from '../support/proxy-fixture.js';
import { client, emu, setup, useEmulator } from '../support/proxy-security-fixture.js';

useEmulator();

describe('rate limit of ceremony starts', () => {
  function assertRetryAfter(response: Response, max = 60): number {
    const header = response.headers.get('retry-after');
    assert.match(header ?? '', /^\d+$/, `Retry-After: ${header}`);
    const seconds = Number(header);
    assert.ok(seconds >= 1 && seconds <= max, `Retry-After ${seconds}`);
    return seconds;
  }

  test('by default, the 6th start in a minute from one IP is 429 rate-limited with Retry-After', async () => {
    const counting = countingFetch();
    const { handler } = setup({ sendauth: apiClient(emu, { fetch: counting.fetch }) });
    const users = await Promise.all([1, 2, 3, 4, 5, 6].map(() => createUserWithPasskey(client)));
    for (const user of users.slice(0, 5)) {
      await expectStart(await call(handler, '/authenticate', { body: { username: user.email }, ip: '192.0.2.1' }), 'authentication');
    }
    counting.requests.length = 0;
    const limited = await call(handler, '/authenticate', { body: { username: users[5]!.email }, ip: '192.0.2.1' });
    assert.equal(assertRetryAfter(limited), 60);
    const { error } = await expectError(limited, 429, 'rate-limited');
    assert.match(error.message, /60/);
    assert.deepEqual(counting.requests, [], 'no TX was created at SendAuth');
    assert.equal((await client.getUserTransactions(users[5]!.id)).total, 1, 'only the enrolment TX of the fixture');

    // Unknown names count too (else probing for names would be free), and other IPs are unaffected.
    await expectError(await call(handler, '/authenticate', { body: { username: 'nobody@example.test' }, ip: '192.0.2.1' }), 429, 'rate-limited');
    await expectStart(await call(handler, '/authenticate', { body: { username: users[5]!.email }, ip: '192.0.2.2' }), 'authentication');
  });

  test('without a client IP (a Fetch runtime, no getClientIp): no shared bucket, the per-user limit still holds, one warning', async (t) => {
    const warn = t.mock.method(console, 'warn', () => undefined);
    const { handler } = setup();
    // Seven visitors, one start each: a shared "unknown" bucket would refuse the 6th and 7th.
    const users = await Promise.all([1, 2, 3, 4, 5, 6, 7].map(() => createUserWithPasskey(client)));
    for (const user of users) {
      await expectStart(await call(handler, '/authenticate', { body: { username: user.email }, ip: null }), 'authentication');
    }
    const one = users[0]!;
    for (let i = 2; i <= 5; i += 1) {
      await expectStart(await call(handler, '/authenticate', { body: { username: one.email }, ip: null }), 'authentication');
    }
    await expectError(await call(handler, '/authenticate', { body: { username: one.email }, ip: null }), 429, 'rate-limited');
    assert.equal(warn.mock.callCount(), 1);
    assert.match(String(warn.mock.calls[0]?.arguments[0]), /getClientIp/);
  });

  test('per user, across different IPs', async () => {
    const { handler } = setup();
    const user = await createUserWithPasskey(client);
    for (let i = 1; i <= 5; i += 1) {
      await expectStart(await call(handler, '/authenticate', { body: { username: user.email }, ip: `198.51.100.${i}` }), 'authentication');
    }
    const limited = await call(handler, '/authenticate', { body: { username: user.email.toUpperCase() }, ip: '198.51.100.6' });
    assertRetryAfter(limited);
    await expectError(limited, 429, 'rate-limited');
    assert.equal((await client.getUserTransactions(user.id)).total, 1 + 5, 'the enrolment and 5 starts; the 6th made no TX');
  });

  test(
    'per user, however the user is named (email in any case, userId in any case)',
    async () => {
      const { handler } = setup();
      const user = await createUserWithPasskey(client);
      const names = [{ username: user.email }, { userId: user.id }, { userId: user.id.toUpperCase() }];
      for (let i = 1; i <= 5; i += 1) {
        await expectStart(await call(handler, '/authenticate', { body: names[i % names.length], ip: `203.0.113.${i}` }), 'authentication');
      }
      await expectError(await call(handler, '/authenticate', { body: { userId: user.id }, ip: '203.0.113.6' }), 429, 'rate-limited');
      assert.equal((await client.getUserTransactions(user.id)).total, 1 + 5);
    },
  );

  test('register and signup starts are limited too', async () => {
    const { handler } = setup({ allowSignup: true, rateLimit: { limit: 2 } });
    const user = await createUser(client);
    for (let i = 0; i < 2; i += 1) await expectStart(await call(handler, '/register', { body: {}, session: user.id, ip: `10.9.0.${i}` }), 'registration');
    await expectError(await call(handler, '/register', { body: {}, session: user.id, ip: '10.9.0.9' }), 429, 'rate-limited');
    for (let i = 0; i < 2; i += 1) {
      const body = { email: `${randomUUID()}@example.test`, firstName: 'Ada', lastName: 'Lovelace' };
      await expectStart(await call(handler, '/signup', { body, ip: '10.9.1.1' }), 'registration');
    }
    const body = { email: `${randomUUID()}@example.test`, firstName: 'Ada', lastName: 'Lovelace' };
    await expectError(await call(handler, '/signup', { body, ip: '10.9.1.1' }), 429, 'rate-limited');
    assert.equal((await client.listUsers({ q: body.email })).total, 0);
  });

  test('once the window has passed (injected clock), starts are allowed again', async () => {
    const clock = manualClock();
    const { handler } = setup({ now: clock.now });
    const user = await createUserWithPasskey(client);
    const start = () => call(handler, '/authenticate', { body: { userId: user.id }, ip: '10.2.0.1' });
    for (let i = 0; i < 5; i += 1) await expectStart(await start(), 'authentication');
    clock.advance(20_000);
    const limited = await start();
    assert.equal(assertRetryAfter(limited), 40);
    await expectError(limited, 429, 'rate-limited');
    clock.advance(39_000);
    await expectError(await start(), 429, 'rate-limited');
    clock.advance(1_000);
    await expectStart(await start(), 'authentication');
  });

  test('limit and windowMs are honoured', async () => {
    const clock = manualClock();
    const { handler } = setup({ now: clock.now, rateLimit: { limit: 2, windowMs: 10_000 } });
    const user = await createUserWithPasskey(client);
    const start = () => call(handler, '/authenticate', { body: { userId: user.id }, ip: '10.3.0.1' });
    await expectStart(await start(), 'authentication');
    await expectStart(await start(), 'authentication');
    const limited = await start();
    assert.equal(assertRetryAfter(limited), 10);
    await expectError(limited, 429, 'rate-limited');
    clock.advance(10_000);
    await expectStart(await start(), 'authentication');
  });

  test('a custom store is used for every start', async () => {
    const hits: string[] = [];
    const inner = new MemoryRateLimitStore();
    const store: RateLimitStore = {
      async hit(key, windowMs, now): Promise<RateLimitHit> {
        hits.push(key);
        // A store that says the IP 10.4.0.66 is already far over the limit.
        if (key === 'ip:10.4.0.66') return { count: 1_000, resetAt: now + 7_000 };
        return inner.hit(key, windowMs, now);
      },
    };
    const { handler } = setup({ rateLimit: { store } });
    const user = await createUserWithPasskey(client);
    await expectStart(await call(handler, '/authenticate', { body: { userId: user.id }, ip: '10.4.0.1' }), 'authentication');
    assert.ok(hits.includes('ip:10.4.0.1'), hits.join(', '));
    assert.ok(hits.some((key) => key !== 'ip:10.4.0.1' && key.includes(user.id)), hits.join(', '));
    const limited = await call(handler, '/authenticate', { body: { userId: user.id }, ip: '10.4.0.66' });
    assert.equal(assertRetryAfter(limited), 7);
    await expectError(limited, 429, 'rate-limited');
  });

  test('rateLimit: false turns it off', async () => {
    const { handler } = setup({ rateLimit: false });
    const user = await createUserWithPasskey(client);
    for (let i = 0; i < 8; i += 1) await expectStart(await call(handler, '/authenticate', { body: { userId: user.id } }), 'authentication');
  });
});
