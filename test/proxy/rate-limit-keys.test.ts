/**
 * Rate-limit keys an attacker cannot rotate (issue 10 §4): IPv6 clients are
 * counted per /64 (configurable), IPv4-mapped IPv6 is the IPv4 address, and
 * every spelling of one address (zero compression, case, zone id, brackets,
 * a port) is one key. Through the proxy, and over real sockets.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { describe, test } from 'node:test';
import { clientIpKey } from '../../src/proxy/rate-limit.js';
import { createSendAuthProxy, MemoryStore, toNodeListener, type ProxyStore } from '../../src/proxy/index.js';
import { call, client, expectError, listenLocal, proxyFactory, useEmulator } from '../support/proxy-fixture.js';

useEmulator();
const proxy = proxyFactory();

/** Starts for unknown names (each its own user key), from `ip`: 404 until the IP's budget is spent, then 429. */
async function startFrom(handler: ReturnType<typeof proxy>['handler'], ip: string): Promise<number> {
  const answer = await call(handler, '/authenticate', { body: { username: `${crypto.randomUUID()}@example.test` }, ip });
  await answer.body?.cancel();
  return answer.status;
}

describe('IPv6 is counted per network', () => {
  test('twelve addresses from one /64 share one budget: the 6th start is 429', async () => {
    const { handler } = proxy({ rateLimit: { ipLimit: 5, ipWindowMs: 60_000 } });
    const statuses: number[] = [];
    for (let i = 1; i <= 12; i += 1) statuses.push(await startFrom(handler, `2001:db8:abcd:12::${i.toString(16)}:${i * 7}`));
    assert.deepEqual(statuses, [404, 404, 404, 404, 404, 429, 429, 429, 429, 429, 429, 429]);
    // Another /64 has its own budget.
    assert.equal(await startFrom(handler, '2001:db8:abcd:13::1'), 404);
  });

  test('the prefix is configurable: /128 counts each address, /48 a whole site', async () => {
    const perAddress = proxy({ rateLimit: { ipLimit: 2, ipv6Prefix: 128 } }).handler;
    for (let i = 1; i <= 6; i += 1) assert.equal(await startFrom(perAddress, `2001:db8::${i}`), 404);
    const perSite = proxy({ rateLimit: { ipLimit: 2, ipv6Prefix: 48 } }).handler;
    assert.equal(await startFrom(perSite, '2001:db8:1:1::1'), 404);
    assert.equal(await startFrom(perSite, '2001:db8:1:2::1'), 404);
    assert.equal(await startFrom(perSite, '2001:db8:1:ffff::1'), 429);
    assert.equal(await startFrom(perSite, '2001:db8:2::1'), 404);
  });

  test('an ipv6Prefix outside 0–128 is refused when the proxy is made', () => {
    for (const ipv6Prefix of [-1, 129, 64.5, Number.NaN]) {
      assert.throws(() => createSendAuthProxy({ sendauth: client, rateLimit: { ipv6Prefix } }), RangeError);
    }
  });
});

describe('every spelling of one address is one key', () => {
  const SPELLINGS: Array<[string, string[]]> = [
    ['1.2.3.4', ['1.2.3.4', '::ffff:1.2.3.4', '::FFFF:1.2.3.4', '::ffff:102:304', '0:0:0:0:0:ffff:0102:0304', '[::ffff:1.2.3.4]:443', '1.2.3.4:8080', ' 1.2.3.4 ']],
    ['2001:db8::/64', ['2001:db8::1', '2001:DB8::1', '2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8:0:0::1', '2001:db8::1%eth0', '2001:db8::1%25en0', '[2001:db8::1]', '[2001:db8::1]:443']],
  ];

  test('clientIpKey', () => {
    for (const [key, spellings] of SPELLINGS) for (const ip of spellings) assert.equal(clientIpKey(ip), key, ip);
    assert.equal(clientIpKey('2001:db8::1', 128), '2001:db8::1/128');
    assert.equal(clientIpKey('not an IP'), 'not an ip');
  });

  test('through the proxy: the spellings share one budget', async () => {
    for (const [, spellings] of SPELLINGS) {
      const { handler } = proxy({ rateLimit: { ipLimit: spellings.length - 1 } });
      const statuses: number[] = [];
      for (const ip of spellings) statuses.push(await startFrom(handler, ip));
      assert.deepEqual(statuses, [...spellings.slice(1).map(() => 404), 429], spellings.join(' '));
    }
  });
});

test('over real sockets: IPv4 reaching a dual-stack server (::ffff:127.0.0.1) is the same key as over IPv4', async () => {
  const keys: string[] = [];
  const memory = new MemoryStore();
  const store: ProxyStore = {
    get: (key) => memory.get(key),
    set: (key, value, ttl) => memory.set(key, value, ttl),
    setIfAbsent: (key, value, ttl) => memory.setIfAbsent(key, value, ttl),
    delete: (key) => memory.delete(key),
    hit: (key, windowMs) => (keys.push(key), memory.hit(key, windowMs)),
  };
  const { handler } = proxy({ store, rateLimit: { ipLimit: 1 } });
  const dualStack = createServer(toNodeListener(handler));
  await new Promise<void>((resolve, reject) => dualStack.once('error', reject).listen(0, '::', resolve));
  const v4 = await listenLocal(createServer(toNodeListener(handler)));
  try {
    const port = (dualStack.address() as { port: number }).port;
    const post = (url: string) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: new URL(url).origin },
        body: JSON.stringify({ username: `${crypto.randomUUID()}@example.test` }),
      });
    assert.equal((await post(`http://127.0.0.1:${port}/sendauth/authenticate`)).status, 404);
    // The second start from 127.0.0.1, now through the IPv4-only server, is over the shared budget.
    await expectError(await post(`${v4.url}/sendauth/authenticate`), 429, 'rate-limited');
    assert.deepEqual(keys.filter((key) => key.startsWith('rate:ip:')), ['rate:ip:127.0.0.1', 'rate:ip:127.0.0.1']);
  } finally {
    dualStack.closeAllConnections();
    await new Promise<void>((resolve) => dualStack.close(() => resolve()));
    await v4.close();
  }
});
