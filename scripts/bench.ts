/**
 * `npm run bench`: what the proxy costs, and what its Redis store adds. A
 * full authentication (start → signed assertion → verify) run side by side,
 * in one process and one run:
 *
 *   direct  SendAuthClient → emulator: authenticateUser, getCeremony, completeCeremony, checkTransaction
 *   memory  fetch → node:http + toNodeListener → createSendAuthProxy (MemoryStore) → the same four calls
 *   redis   the same proxy with `createRedisStore` on a node-redis client and a local redis-server
 *
 * Both proxies count rate limits (with a limit no run reaches), as a site's
 * proxy does, so the store does all its work: per start the IP's and the
 * user's counts (together) and then the binding; per verify one claim (the
 * binding read and checked, the once-only marker, the TX's budget: one script)
 * and then the binding's `verified` (while `onVerified` runs). All arms
 * sign with the same software authenticator, so differences are the proxy's
 * own work, its extra HTTP hop, and the store's round trips. Arms are
 * interleaved to spread machine noise evenly. Prints figures; asserts nothing.
 * Without a redis-server on this machine the Redis lines say why they are missing.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { createClient } from 'redis';
import { SendAuthClient } from '../src/api/client.js';
import { startEmulator } from '../src/emulator/index.js';
import { createSendAuthProxy } from '../src/proxy/create-proxy.js';
import { toNodeListener } from '../src/proxy/node.js';
import { createRedisStore } from '../src/proxy/redis-store.js';
import type { ProxyStore, StoreClaim } from '../src/proxy/store.js';
import type { PublicKeyCredentialRequestOptionsJSON } from '../src/types.js';
import type { CeremonyStart } from '../src/wire.js';
import { redisServerMissing, startRedisServer } from '../test/support/redis-server.js';
import { SoftAuthenticator } from '../test/support/soft-authenticator.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 200);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const WARMUP = 20;
/** The sites' origin for every arm; the emulator accepts any http://localhost:<port>. */
const ORIGIN = 'http://localhost:5173';

const credentials = { username: 'bench', password: 'bench-secret' };
const emulator = await startEmulator({ port: 0, ...credentials });
const sendauth = new SendAuthClient({ baseUrl: emulator.url, ...credentials });
const servers: Server[] = [];

/** A proxy on its own loopback port with `store` (the memory store when undefined). */
async function proxyUrl(store: ProxyStore | undefined): Promise<string> {
  const handler = createSendAuthProxy({
    sendauth,
    allowedOrigins: [ORIGIN],
    rateLimit: { limit: Number.MAX_SAFE_INTEGER, ipLimit: Number.MAX_SAFE_INTEGER },
    ...(store ? { store } : {}),
  });
  const server = createServer(toNodeListener(handler));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const redisMissing = redisServerMissing();
const redisServer = redisMissing ? undefined : await startRedisServer();
const redis = redisServer ? await createClient({ url: redisServer.url }).on('error', () => undefined).connect() : undefined;
const redisVersion = redis ? /redis_version:(\S+)/.exec(await redis.info('server'))?.[1] : undefined;

/** A user with a passkey on its own authenticator. One per concurrent worker: an authenticator's
 * signature counter must reach SendAuth in order, which one worker at a time guarantees. */
interface Signer {
  userId: string;
  authenticator: SoftAuthenticator;
}

async function enrolledSigner(): Promise<Signer> {
  const authenticator = new SoftAuthenticator({ origin: ORIGIN });
  const user = await sendauth.createUser({ firstName: 'Bench', lastName: 'Mark', email: `bench-${crypto.randomUUID()}@example.test` });
  const { tx } = await sendauth.registerUser(user.id!);
  const registration = await sendauth.getCeremony(tx);
  if (registration.kind !== 'registration') throw new Error('expected registration options');
  await sendauth.completeCeremony(tx, await authenticator.register(registration.options));
  return { userId: user.id!, authenticator };
}

type Arm = (signer: Signer) => Promise<void>;

async function direct({ userId, authenticator }: Signer): Promise<void> {
  const { tx } = await sendauth.authenticateUser(userId);
  const ceremony = await sendauth.getCeremony(tx);
  const response = await authenticator.authenticate(ceremony.options as PublicKeyCredentialRequestOptionsJSON);
  await sendauth.completeCeremony(tx, response);
  const { state } = await sendauth.checkTransaction(tx);
  if (state !== 'verified') throw new Error(`direct: ${state}`);
}

const json = { 'content-type': 'application/json', origin: ORIGIN };
function through(base: string): Arm {
  return async ({ userId, authenticator }) => {
    const start = await fetch(`${base}/sendauth/authenticate`, { method: 'POST', headers: json, body: JSON.stringify({ userId }) });
    if (start.status !== 201) throw new Error(`proxy start: ${start.status} ${await start.text()}`);
    const { tx, options } = (await start.json()) as CeremonyStart;
    const response = await authenticator.authenticate(options as PublicKeyCredentialRequestOptionsJSON);
    const verify = await fetch(`${base}/sendauth/tx/${tx}/verify`, { method: 'POST', headers: json, body: JSON.stringify(response) });
    if (verify.status !== 200) throw new Error(`proxy verify: ${verify.status} ${await verify.text()}`);
  };
}

/**
 * `store` with a count of the calls made to it, and the time (ms) at least one call was in flight:
 * what the store adds to the requests' path, concurrent calls counted once.
 */
function countingStore(inner: ProxyStore): { store: ProxyStore; calls: () => number; trips: () => number; busyMs: () => number } {
  let calls = 0;
  let trips = 0;
  let inFlight = 0;
  let since = 0;
  let busy = 0;
  const timed = <R>(call: () => Promise<R>): Promise<R> => {
    calls++;
    if (inFlight++ === 0) {
      since = performance.now();
      trips++;
    }
    return call().finally(() => {
      if (--inFlight === 0) busy += performance.now() - since;
    });
  };
  const store: ProxyStore = {
    get: (key) => timed(() => inner.get(key)),
    set: (key, value, ttlMs) => timed(() => inner.set(key, value, ttlMs)),
    setIfAbsent: (key, value, ttlMs) => timed(() => inner.setIfAbsent(key, value, ttlMs)),
    delete: (key) => timed(() => inner.delete(key)),
    hit: (key, windowMs) => timed(() => inner.hit(key, windowMs)),
    ...(inner.claimIf ? { claimIf: (claim: StoreClaim) => timed(() => inner.claimIf!(claim)) } : {}),
  };
  return { store, calls: () => calls, trips: () => trips, busyMs: () => busy };
}

/**
 * Latencies (ms, sorted) of one store call at a time, alternating GET and SET: back to back, or
 * each after `gapMs` of this process doing something else (as a request's calls are: each
 * follows SendAuth calls, signing, parsing), which on some machines makes each one slower.
 */
async function storeRoundTrip(store: ProxyStore, gapMs = 0): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < Math.max(200, ROUNDS * (gapMs ? 1 : 4)); i++) {
    if (gapMs) {
      const until = performance.now() + gapMs;
      while (performance.now() < until); // busy, as the process is between a request's store calls
    }
    const t0 = performance.now();
    await (i % 2 ? store.get('bench:round-trip') : store.set('bench:round-trip', 'x', 60_000));
    out.push(performance.now() - t0);
  }
  return out.sort((a, b) => a - b);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/** Sequential latencies (ms, sorted) of `rounds` runs of each arm, the order rotating each round. */
async function latencies(arms: Record<string, Arm>, signer: Signer, rounds: number): Promise<Record<string, number[]>> {
  const names = Object.keys(arms);
  const out: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]));
  for (let i = 0; i < rounds; i++) {
    for (let j = 0; j < names.length; j++) {
      const name = names[(i + j) % names.length]!;
      const t0 = performance.now();
      await arms[name]!(signer);
      out[name]!.push(performance.now() - t0);
    }
  }
  for (const list of Object.values(out)) list.sort((a, b) => a - b);
  return out;
}

/** Full authentications per second with `concurrency` in flight. */
async function throughput(run: Arm, signers: Signer[], total: number): Promise<number> {
  let started = 0;
  const t0 = performance.now();
  await Promise.all(
    signers.map(async (signer) => {
      while (started < total) {
        started++;
        await run(signer);
      }
    }),
  );
  return total / ((performance.now() - t0) / 1000);
}

/** Median of three alternating throughput runs per arm, so drift hits every arm alike. */
async function throughputs(arms: Record<string, Arm>, signers: Signer[]): Promise<Record<string, number>> {
  for (const run of Object.values(arms)) await throughput(run, signers, WARMUP * 2);
  const runs: Record<string, number[]> = Object.fromEntries(Object.keys(arms).map((name) => [name, []]));
  for (let i = 0; i < 3; i++) for (const [name, run] of Object.entries(arms)) runs[name]!.push(await throughput(run, signers, ROUNDS));
  return Object.fromEntries(Object.entries(runs).map(([name, xs]) => [name, [...xs].sort((a, b) => a - b)[1] ?? NaN]));
}

try {
  const signers = await Promise.all(Array.from({ length: CONCURRENCY }, enrolledSigner));
  const arms: Record<string, Arm> = { direct, memory: through(await proxyUrl(undefined)) };
  const redisStore = redis ? countingStore(createRedisStore(redis)) : undefined;
  if (redisStore) arms.redis = through(await proxyUrl(redisStore.store));

  await latencies(arms, signers[0]!, WARMUP);
  const callsBefore = redisStore?.calls() ?? 0;
  const tripsBefore = redisStore?.trips() ?? 0;
  const busyBefore = redisStore?.busyMs() ?? 0;
  const lat = await latencies(arms, signers[0]!, ROUNDS);
  const callsPerCeremony = ((redisStore?.calls() ?? 0) - callsBefore) / ROUNDS;
  const tripsPerCeremony = ((redisStore?.trips() ?? 0) - tripsBefore) / ROUNDS;
  const storeMsPerCeremony = ((redisStore?.busyMs() ?? 0) - busyBefore) / ROUNDS;
  const roundTrip = redisStore ? await storeRoundTrip(redisStore.store) : [];
  const roundTripAfterWork = redisStore ? await storeRoundTrip(redisStore.store, 3) : [];
  const rps = await throughputs(arms, signers);

  const fmt = (n: number) => n.toFixed(2).padStart(8);
  const row = (label: string, name: string) =>
    `${label.padEnd(16)}${fmt(percentile(lat[name]!, 50))} ${fmt(percentile(lat[name]!, 95))} ${fmt(percentile(lat[name]!, 99))}`;
  const p50 = (name: string) => percentile(lat[name]!, 50);
  console.log(`Full authentication (start + sign + verify), ${ROUNDS} rounds each, Node ${process.version}\n`);
  console.log('                  p50 ms   p95 ms   p99 ms');
  console.log(row('direct (client)', 'direct'));
  console.log(row('through proxy', 'memory'));
  if (lat.redis) console.log(row('proxy + Redis', 'redis'));
  console.log(`\nadded by proxy  ${fmt(p50('memory') - p50('direct'))} ms at p50; ratio proxy/direct ${(p50('memory') / p50('direct')).toFixed(2)}x`);
  if (lat.redis) {
    console.log(`added by Redis  ${fmt(p50('redis') - p50('memory'))} ms at p50 per ceremony; ratio redis/memory ${(p50('redis') / p50('memory')).toFixed(2)}x`);
    console.log(
      `                ${callsPerCeremony} store calls per ceremony in ${tripsPerCeremony} round trips (calls made together share one)`,
    );
    console.log(
      `                a store call alone: ${percentile(roundTrip, 50).toFixed(3)} ms p50 back to back, ${percentile(roundTripAfterWork, 50).toFixed(3)} ms p50 each after 3 ms of other work`,
    );
    console.log(`                the requests waited on Redis ${storeMsPerCeremony.toFixed(2)} ms per ceremony (mean; concurrent calls counted once)`);
  } else {
    console.log(`Redis store: skipped (${redisMissing})`);
  }
  console.log(`\nthroughput, ${CONCURRENCY} in flight, median of 3 alternating runs (authentications/s):`);
  console.log(`direct ${rps.direct!.toFixed(1)}  proxy ${rps.memory!.toFixed(1)}  ratio proxy/direct ${(rps.memory! / rps.direct!).toFixed(2)}x`);
  if (rps.redis) console.log(`memory store ${rps.memory!.toFixed(1)}  Redis store ${rps.redis.toFixed(1)}  ratio redis/memory ${(rps.redis / rps.memory!).toFixed(2)}x`);
  console.log('\n(SendAuth here is the emulator in this same process, so throughput compares total CPU per authentication.');
  if (redisVersion) console.log(` Redis: redis-server ${redisVersion} on loopback, node-redis client, createRedisStore defaults.`);
  console.log(' Both proxies count rate limits; neither reaches its limit.)');
} finally {
  for (const server of servers) server.close();
  redis?.destroy();
  await Promise.all([emulator.close(), redisServer?.stop()]);
}
