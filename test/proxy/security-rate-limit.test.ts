/**
 * Security rule: ceremony starts are rate limited, per user strictly (each
 * start notifies the user) and per client IP roomily (many people share one
 * address), with Retry-After; normal use never meets a limit.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import { MemoryRateLimitStore, type RateLimitHit, type RateLimitStore } from '../../src/proxy/index.js';
import type { CeremonyStart } from '../../src/wire.js';
import {
  ORIGIN,
  apiClient,
  call,
  countingFetch,
  createUser,
  createUserWithPasskey,
  expectError,
  expectStart,
  manualClock,
} from '../support/proxy-fixture.js';
import { SoftAuthenticator } from '../support/soft-authenticator.js';
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

  test('by default, the 31st start in a minute from one IP is 429 rate-limited with Retry-After', async () => {
    const counting = countingFetch();
    const { handler } = setup({ sendauth: apiClient(emu, { fetch: counting.fetch }) });
    const users = await Promise.all(Array.from({ length: 31 }, () => createUserWithPasskey(client)));
    for (const user of users.slice(0, 30)) {
      await expectStart(await call(handler, '/authenticate', { body: { username: user.email }, ip: '192.0.2.1' }), 'authentication');
    }
    counting.requests.length = 0;
    const limited = await call(handler, '/authenticate', { body: { username: users[30]!.email }, ip: '192.0.2.1' });
    const seconds = assertRetryAfter(limited);
    const { error } = await expectError(limited, 429, 'rate-limited');
    assert.match(error.message, new RegExp(`${seconds}`));
    assert.deepEqual(counting.requests, [], 'no TX was created at SendAuth');
    assert.equal((await client.getUserTransactions(users[30]!.id)).total, 1, 'only the enrolment TX of the fixture');

    // Unknown names count too (else probing for names would be free), and other IPs are unaffected.
    await expectError(await call(handler, '/authenticate', { body: { username: 'nobody@example.test' }, ip: '192.0.2.1' }), 429, 'rate-limited');
    await expectStart(await call(handler, '/authenticate', { body: { username: users[30]!.email }, ip: '192.0.2.2' }), 'authentication');
  });

  test('normal use from one address never meets the defaults (sign up, sign in, add a passkey, the drop-in page, a typo, retries)', async () => {
    const { handler } = setup({ allowSignup: true });
    const ip = '192.0.2.77';
    const email = `${randomUUID()}@example.test`;
    const authenticator = new SoftAuthenticator({ origin: ORIGIN });
    const verify = async (start: CeremonyStart, session?: string): Promise<void> => {
      const response =
        start.kind === 'registration' ? await authenticator.register(start.options) : await authenticator.authenticate(start.options);
      const answer = await call(handler, `/tx/${start.tx}/verify`, { body: response, ip, ...(session ? { session } : {}) });
      assert.equal(answer.status, 200, await answer.text());
    };
    const signIn = async (): Promise<CeremonyStart> =>
      expectStart(await call(handler, '/authenticate', { body: { username: email }, ip }), 'authentication');

    // Sign up: the prompt is closed twice before the third try goes through.
    const body = { email, firstName: 'Ada', lastName: 'Lovelace' };
    for (let i = 0; i < 2; i += 1) {
      const abandoned = await expectStart(await call(handler, '/signup', { body, ip }), 'registration');
      await call(handler, `/tx/${abandoned.tx}`, { method: 'DELETE', body: { proof: abandoned.proof }, ip });
    }
    const signup = await expectStart(await call(handler, '/signup', { body, ip }), 'registration');
    await verify(signup);
    const [user] = (await client.listUsers({ q: email })).rows;
    assert.ok(user?.id);
    await verify(await signIn()); // sign in
    // The account page: remove the passkey, add one again (the first try's prompt closed).
    await client.removeUserPasskey(user.id);
    const closed = await expectStart(await call(handler, '/register', { body: {}, session: user.id, ip }), 'registration');
    await call(handler, `/tx/${closed.tx}`, { method: 'DELETE', body: { proof: closed.proof }, session: user.id, ip });
    await verify(await expectStart(await call(handler, '/register', { body: {}, session: user.id, ip }), 'registration'), user.id);
    await verify(await signIn()); // the drop-in page
    await expectError(await call(handler, '/authenticate', { body: { username: `x${email}` }, ip }), 404, 'no-passkey'); // a typo
    await verify(await signIn()); // sign in again
    await verify(await signIn()); // and once more, in another tab
  });

  test('without a client IP (a Fetch runtime, no getClientIp): no shared bucket, the per-user limit still holds, one warning', async (t) => {
    const warn = t.mock.method(console, 'warn', () => undefined);
    const { handler } = setup();
    // Many visitors, one start each: a shared "unknown" bucket would refuse some of them.
    const users = await Promise.all(Array.from({ length: 35 }, () => createUserWithPasskey(client)));
    for (const user of users) {
      await expectStart(await call(handler, '/authenticate', { body: { username: user.email }, ip: null }), 'authentication');
    }
    const one = users[0]!;
    for (let i = 2; i <= 10; i += 1) {
      await expectStart(await call(handler, '/authenticate', { body: { username: one.email }, ip: null }), 'authentication');
    }
    await expectError(await call(handler, '/authenticate', { body: { username: one.email }, ip: null }), 429, 'rate-limited');
    assert.equal(warn.mock.callCount(), 1);
    assert.match(String(warn.mock.calls[0]?.arguments[0]), /getClientIp/);
  });

  test('per user, across different IPs: the 11th start in ten minutes is refused, so one user is never flooded', async () => {
    const { handler } = setup();
    const user = await createUserWithPasskey(client);
    for (let i = 1; i <= 10; i += 1) {
      await expectStart(await call(handler, '/authenticate', { body: { username: user.email }, ip: `198.51.100.${i}` }), 'authentication');
    }
    const limited = await call(handler, '/authenticate', { body: { username: user.email.toUpperCase() }, ip: '198.51.100.66' });
    assertRetryAfter(limited, 600);
    await expectError(limited, 429, 'rate-limited');
    assert.equal((await client.getUserTransactions(user.id)).total, 1 + 10, 'the enrolment and 10 starts; the 11th made no TX');
  });

  test(
    'per user, however the user is named (email in any case, userId in any case)',
    async () => {
      const { handler } = setup();
      const user = await createUserWithPasskey(client);
      const names = [{ username: user.email }, { userId: user.id }, { userId: user.id.toUpperCase() }];
      for (let i = 1; i <= 10; i += 1) {
        await expectStart(await call(handler, '/authenticate', { body: names[i % names.length], ip: `203.0.113.${i}` }), 'authentication');
      }
      await expectError(await call(handler, '/authenticate', { body: { userId: user.id }, ip: '203.0.113.66' }), 429, 'rate-limited');
      assert.equal((await client.getUserTransactions(user.id)).total, 1 + 10);
    },
  );

  test('per user, whatever spelling of the id the site’s own callbacks answer (resolveUser, the session): one budget with starts by userId', async () => {
    const user = await createUserWithPasskey(client);
    const shout = user.id.toUpperCase(); // a site whose database hands out ids in upper case (SQL Server's uniqueidentifier)
    const { handler } = setup({
      rateLimit: { limit: 6 },
      resolveUser: async (name) => (name === user.email ? shout : undefined),
      getSessionUserId: (request) => (request.headers.get('x-test-session-user') ? shout : undefined),
    });
    const starts = [
      () => call(handler, '/authenticate', { body: { username: user.email }, ip: '203.0.113.1' }),
      () => call(handler, '/authenticate', { body: { userId: user.id }, ip: '203.0.113.2' }),
      () => call(handler, '/authenticate', { body: { username: user.email, mode: 'approval' }, ip: '203.0.113.3' }),
    ];
    for (let i = 0; i < 5; i += 1) assert.equal((await starts[i % starts.length]!()).status, 201);
    // Counted before SendAuth is asked (which then refuses it: this user has a passkey already).
    await expectError(await call(handler, '/register', { body: {}, session: user.id, ip: '203.0.113.4' }), 409, 'already-registered');
    for (const start of starts) await expectError(await start(), 429, 'rate-limited');
    await expectError(await call(handler, '/register', { body: {}, session: user.id, ip: '203.0.113.5' }), 429, 'rate-limited');
  });

  test('register and signup starts are limited too: per user, per sign-up email, and per IP', async () => {
    const { handler } = setup({ allowSignup: true, rateLimit: { limit: 2, ipLimit: 3 } });
    const user = await createUser(client);
    for (let i = 0; i < 2; i += 1) await expectStart(await call(handler, '/register', { body: {}, session: user.id, ip: `10.9.0.${i}` }), 'registration');
    await expectError(await call(handler, '/register', { body: {}, session: user.id, ip: '10.9.0.9' }), 429, 'rate-limited');
    // One email, from several addresses: its third sign-up start is refused.
    const same = { email: `${randomUUID()}@example.test`, firstName: 'Ada', lastName: 'Lovelace' };
    await expectStart(await call(handler, '/signup', { body: same, ip: '10.9.2.1' }), 'registration');
    await expectError(await call(handler, '/signup', { body: same, ip: '10.9.2.2' }), 409, 'already-exists');
    await expectError(await call(handler, '/signup', { body: same, ip: '10.9.2.3' }), 429, 'rate-limited');
    // One address, several emails: its fourth sign-up start is refused.
    for (let i = 0; i < 3; i += 1) {
      const body = { email: `${randomUUID()}@example.test`, firstName: 'Ada', lastName: 'Lovelace' };
      await expectStart(await call(handler, '/signup', { body, ip: '10.9.1.1' }), 'registration');
    }
    const body = { email: `${randomUUID()}@example.test`, firstName: 'Ada', lastName: 'Lovelace' };
    await expectError(await call(handler, '/signup', { body, ip: '10.9.1.1' }), 429, 'rate-limited');
    assert.equal((await client.listUsers({ q: body.email })).total, 0);
  });

  test('once the window has passed (injected clock), starts are allowed again; Retry-After says when', async () => {
    const clock = manualClock();
    const { handler } = setup({ now: clock.now });
    const user = await createUserWithPasskey(client);
    const start = () => call(handler, '/authenticate', { body: { userId: user.id }, ip: '10.2.0.1' });
    for (let i = 0; i < 10; i += 1) await expectStart(await start(), 'authentication');
    clock.advance(200_000);
    const limited = await start();
    assert.equal(assertRetryAfter(limited, 600), 400);
    await expectError(limited, 429, 'rate-limited');
    clock.advance(399_000);
    await expectError(await start(), 429, 'rate-limited');
    clock.advance(1_000);
    await expectStart(await start(), 'authentication');
  });

  test('limit, windowMs, ipLimit and ipWindowMs are honoured', async () => {
    const clock = manualClock();
    const { handler } = setup({ now: clock.now, rateLimit: { limit: 2, windowMs: 10_000, ipLimit: 3, ipWindowMs: 5_000 } });
    const user = await createUserWithPasskey(client);
    const start = (ip: string) => call(handler, '/authenticate', { body: { userId: user.id }, ip });
    await expectStart(await start('10.3.0.1'), 'authentication');
    await expectStart(await start('10.3.0.2'), 'authentication');
    const limited = await start('10.3.0.3');
    assert.equal(assertRetryAfter(limited), 10);
    await expectError(limited, 429, 'rate-limited');
    clock.advance(10_000);
    await expectStart(await start('10.3.0.1'), 'authentication');

    const others = await Promise.all([1, 2, 3, 4].map(() => createUserWithPasskey(client)));
    const byIp = (index: number) => call(handler, '/authenticate', { body: { userId: others[index]!.id }, ip: '10.3.1.1' });
    for (let i = 0; i < 3; i += 1) await expectStart(await byIp(i), 'authentication');
    const ipLimited = await byIp(3);
    assert.equal(assertRetryAfter(ipLimited), 5);
    await expectError(ipLimited, 429, 'rate-limited');
    clock.advance(5_000);
    await expectStart(await byIp(3), 'authentication');
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
    for (let i = 0; i < 40; i += 1) await expectStart(await call(handler, '/authenticate', { body: { userId: user.id } }), 'authentication');
  });
});
