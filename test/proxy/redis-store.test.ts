/**
 * `createRedisStore` against a real `redis-server` and the official client
 * (`redis`, node-redis): the store contract every store keeps, every key
 * prefixed and with a TTL, and what happens when Redis is slow or gone —
 * each call answers within `timeoutMs`, and a late reply does no harm.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { createClient, type RedisClientType, type RedisClusterType } from 'redis';
import { createRedisStore, RedisStoreError, type RedisStoreClient } from '../../src/proxy/index.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { storeContract } from '../support/store-contract.js';

/** A connected node-redis client that ignores connection `error` events. */
const connectClient = (url: string) => createClient({ url }).on('error', () => undefined).connect();
type Client = Awaited<ReturnType<typeof connectClient>>;

// Both kinds of node-redis client fit the structural type as they are (checked by the compiler; the
// client as `createClient()` returns it is passed to `createRedisStore` below). The cluster is named by
// its type with default modules rather than `ReturnType<typeof createCluster>`, which costs the
// type-check 6 s more and is the same type where these five commands are concerned.
export const clientsFit = (client: RedisClientType, cluster: RedisClusterType): RedisStoreClient[] => [client, cluster];

let server: RedisServer;
let redis: Client;

before(async () => {
  server = await startRedisServer();
  redis = await connectClient(server.url);
});
after(async () => {
  redis.destroy();
  await server.stop();
});

/** Every key under `prefix` with its PTTL in ms (-1: none, -2: gone). */
async function keysWithTtl(client: Client, prefix: string): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  for await (const keys of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 100 })) {
    for (const key of keys) found.set(key, await client.pTTL(key));
  }
  return found;
}

/** Polls `check` every 20 ms until it holds, for at most `ms`. */
async function eventually(check: () => Promise<boolean>, ms: number, what: string): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) assert.fail(`not within ${ms} ms: ${what}`);
    await sleep(20);
  }
}

storeContract('createRedisStore (node-redis, redis-server)', async () => ({
  store: createRedisStore(redis, { prefix: `contract-${randomUUID()}:` }),
  elapse: (ms) => sleep(ms),
  timeScale: 5,
}));

describe('createRedisStore', () => {
  test('writes every key under its prefix (default sendauth:) and with a TTL; reads back what it wrote', async () => {
    const prefix = `ttl-${randomUUID()}:`;
    const store = createRedisStore(redis, { prefix });
    await store.set('tx:a', '{"userId":"u"}', 300_000);
    await store.setIfAbsent('verifying:a', '1', 60_000);
    await store.hit('rate:user:u', 60_000);
    await store.hit('rate:user:u', 60_000);
    const keys = await keysWithTtl(redis, prefix);
    assert.deepEqual([...keys.keys()].sort(), [`${prefix}rate:user:u`, `${prefix}tx:a`, `${prefix}verifying:a`]);
    for (const [key, ttl] of keys) assert.ok(ttl > 0 && ttl <= 300_000, `${key} has PTTL ${ttl}`);
    assert.equal(await redis.get(`${prefix}rate:user:u`), '2');

    const byDefault = createRedisStore(redis);
    const id = randomUUID();
    await byDefault.set(`tx:${id}`, 'x', 1_000);
    assert.equal(await redis.get(`sendauth:tx:${id}`), 'x');
    assert.ok((await redis.pTTL(`sendauth:tx:${id}`)) > 0);
  });

  test('hit gives a key that somehow lost its TTL one again (a counter never lives forever)', async () => {
    const prefix = `lost-${randomUUID()}:`;
    await redis.set(`${prefix}rate:x`, '7'); // written by something else, without a TTL
    const hit = await createRedisStore(redis, { prefix }).hit('rate:x', 60_000);
    assert.equal(hit.count, 8);
    assert.ok(hit.resetAt > Date.now() && hit.resetAt <= Date.now() + 60_000);
    assert.ok((await redis.pTTL(`${prefix}rate:x`)) > 0);
  });

  test('a client without withCommandOptions (node-redis 4, which would drop NX and PX) is refused at once', () => {
    const likeVersion4 = { get: redis.get.bind(redis), set: redis.set.bind(redis), del: redis.del.bind(redis), eval: redis.eval.bind(redis) };
    assert.throws(
      () => createRedisStore(likeVersion4 as unknown as RedisStoreClient),
      (error: unknown) => error instanceof TypeError && /node-redis 5 or 6/.test(error.message),
    );
  });

  test('timeoutMs must be a positive number of ms', () => {
    for (const timeoutMs of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      assert.throws(() => createRedisStore(redis, { timeoutMs }), (error: unknown) => error instanceof TypeError && /timeoutMs/.test(error.message));
    }
  });

  test('a client that was never connected: a RedisStoreError naming the command, at once', async () => {
    const store = createRedisStore(createClient({ url: server.url }), { timeoutMs: 5_000 });
    const error = await store.get('x').then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof RedisStoreError, String(error));
    assert.equal(error.command, 'GET');
    assert.equal(error.timedOut, false);
    assert.match(error.message, /^Redis store: GET failed: .*closed/i);
    assert.ok(error.cause instanceof Error);
  });

  test('a client still connecting (connect() not awaited, as in a serverless handler): calls wait for it, at most timeoutMs', async () => {
    const prefix = `connecting-${randomUUID()}:`;
    const client = createClient({ url: server.url }).on('error', () => undefined);
    const connecting = client.connect();
    try {
      const store = createRedisStore(client, { prefix, timeoutMs: 2_000 });
      await store.set('k', 'v', 60_000);
      assert.equal(await store.get('k'), 'v');
      await connecting;
    } finally {
      client.destroy();
    }

    const nowhere = await startRedisServer();
    await nowhere.kill(); // a port where nothing answers
    const unreachable = createClient({ url: nowhere.url }).on('error', () => undefined);
    unreachable.connect().catch(() => undefined);
    try {
      const error = await createRedisStore(unreachable, { timeoutMs: 200 })
        .get('k')
        .then(() => undefined, (e: unknown) => e);
      assert.ok(error instanceof RedisStoreError && error.timedOut, String(error));
    } finally {
      unreachable.destroy();
      await nowhere.stop();
    }
  });

  test('a late claimIf is undone as a late SET NX is: its marker given back, the record untouched', async () => {
    const prefix = `slow-claim-${randomUUID()}:`;
    const client = await connectClient(server.url);
    const store = createRedisStore(client, { prefix, timeoutMs: 150 });
    try {
      await store.set('tx:{a}', '{"state":"started"}', 60_000);
      await redis.sendCommand(['CLIENT', 'PAUSE', '600', 'ALL']);
      const claim = { recordKey: 'tx:{a}', where: { state: 'started' }, marker: { key: 'verifying:{a}', value: 'late', ttlMs: 60_000 }, counter: { key: 'attempts:{a}' } };
      await assert.rejects(store.claimIf!(claim), (error: unknown) => error instanceof RedisStoreError && error.timedOut && /EVAL claim/.test(error.message));
      await eventually(async () => (await redis.get(`${prefix}attempts:{a}`)) === '1', 3_000, 'the late script ran');
      await eventually(async () => (await redis.exists(`${prefix}verifying:{a}`)) === 0, 3_000, 'its marker was given back');
      assert.equal((await store.claimIf!({ ...claim, marker: { ...claim.marker, value: 'next' } })).claimed, true, 'the next verify may claim');
      assert.equal(await store.get('tx:{a}'), '{"state":"started"}');
    } finally {
      client.destroy();
    }
  });

  test('Redis busy past timeoutMs: each call rejects in time; late replies go nowhere; a late SET NX is undone', async () => {
    const prefix = `slow-${randomUUID()}:`;
    const client = await connectClient(server.url);
    const store = createRedisStore(client, { prefix, timeoutMs: 150 });
    try {
      await store.set('before', 'kept', 60_000);
      // Long against the 150 ms timeout, so the calls are answered while Redis is still paused on a
      // loaded machine too.
      const pausedUntil = Date.now() + 2_000;
      await redis.sendCommand(['CLIENT', 'PAUSE', '2000', 'ALL']); // commands are sent, and wait in Redis
      const calls = await Promise.allSettled([store.setIfAbsent('marker', '1', 60_000), store.set('late-set', 'x', 60_000), store.get('before')]);
      const answeredAt = Date.now();
      for (const call of calls) {
        assert.equal(call.status, 'rejected');
        const { reason } = call as PromiseRejectedResult;
        assert.ok(reason instanceof RedisStoreError && reason.timedOut, String(reason));
        assert.match(reason.message, /did not answer within 150 ms/);
      }
      assert.ok(answeredAt < pausedUntil, 'answered while Redis was still paused, not when it came back');

      // Once Redis runs them, the late commands take effect (the SET arrives)…
      await eventually(async () => (await redis.get(`${prefix}late-set`)) === 'x', 5_000, 'the late SET ran');
      // …but the SET NX its caller was told had failed is removed again: no marker that nobody holds.
      await eventually(async () => (await redis.exists(`${prefix}marker`)) === 0, 5_000, 'the late SET NX was undone');
      assert.equal(await store.setIfAbsent('marker', '1', 60_000), true, 'the once-only guard is free for the next caller');
      // Replies that came late were not handed to later calls.
      assert.equal(await store.get('before'), 'kept');
      assert.equal(await store.get('late-set'), 'x');
    } finally {
      client.destroy();
    }
  });
});

describe('createRedisStore while redis-server is down', () => {
  let down: RedisServer;
  before(async () => {
    down = await startRedisServer();
  });
  after(() => down.stop());

  test('calls reject within timeoutMs, nothing queued then runs after the restart, and the process does not crash', async () => {
    const prefix = `outage-${randomUUID()}:`;
    // No `error` listener of our own: the store adds one, so the lost connection cannot end this process.
    const client = await createClient({ url: down.url }).connect();
    const store = createRedisStore(client, { prefix, timeoutMs: 200 });
    assert.equal(client.listenerCount('error'), 1);
    try {
      await store.set('tx:known', 'v', 60_000);
      await down.kill();
      const started = Date.now();
      const calls = await Promise.allSettled([store.set('queued', 'must not run', 60_000), store.setIfAbsent('marker', '1', 60_000), store.hit('rate:k', 60_000)]);
      for (const call of calls) {
        assert.equal(call.status, 'rejected');
        assert.ok((call as PromiseRejectedResult).reason instanceof RedisStoreError, String((call as PromiseRejectedResult).reason));
      }
      const elapsed = Date.now() - started;
      assert.ok(elapsed < 5_000, `answered after ${elapsed} ms: bounded by timeoutMs, not the client's 5 s`);

      await down.restart();
      await eventually(async () => client.isReady, 10_000, 'the client reconnected by itself');
      assert.deepEqual([...(await keysWithTtl(client, prefix)).keys()], [], 'nothing queued during the outage ran after it (no persistence, so tx:known is gone too)');
      assert.equal(await store.setIfAbsent('marker', '1', 60_000), true);
      assert.equal((await store.hit('rate:k', 60_000)).count, 1);
    } finally {
      client.destroy();
    }
  });
});
