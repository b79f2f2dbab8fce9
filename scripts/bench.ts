/**
 * `npm run bench`: what the proxy costs. A full authentication (start →
 * signed assertion → verify) run side by side, in one process and one run:
 *
 *   direct  SendAuthClient → emulator: authenticateUser, getCeremony, completeCeremony, checkTransaction
 *   proxy   fetch → node:http + toNodeListener → createSendAuthProxy → the same four calls
 *
 * Both arms sign with the same software authenticator, so the difference is
 * the proxy's own work plus its extra HTTP hop. Arms are interleaved to
 * spread machine noise evenly. Prints figures; it asserts nothing.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { SendAuthClient } from '../src/api/client.js';
import { startEmulator } from '../src/emulator/index.js';
import { createSendAuthProxy } from '../src/proxy/create-proxy.js';
import { toNodeListener } from '../src/proxy/node.js';
import type { PublicKeyCredentialRequestOptionsJSON } from '../src/types.js';
import type { CeremonyStart } from '../src/wire.js';
import { SoftAuthenticator } from '../test/support/soft-authenticator.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 200);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const WARMUP = 20;

const credentials = { username: 'bench', password: 'bench-secret' };
const emulator = await startEmulator({ port: 0, ...credentials });
const sendauth = new SendAuthClient({ baseUrl: emulator.url, ...credentials });
const handler = createSendAuthProxy({ sendauth, rateLimit: false });
const server = createServer(toNodeListener(handler));
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const origin = `http://localhost:${(server.address() as AddressInfo).port}`;

/** A user with a passkey on its own authenticator. One per concurrent worker: an authenticator's
 * signature counter must reach SendAuth in order, which one worker at a time guarantees. */
interface Signer {
  userId: string;
  authenticator: SoftAuthenticator;
}

async function enrolledSigner(): Promise<Signer> {
  const authenticator = new SoftAuthenticator({ origin });
  const user = await sendauth.createUser({ firstName: 'Bench', lastName: 'Mark', email: `bench-${crypto.randomUUID()}@example.test` });
  const { tx } = await sendauth.registerUser(user.id!);
  const registration = await sendauth.getCeremony(tx);
  if (registration.kind !== 'registration') throw new Error('expected registration options');
  await sendauth.completeCeremony(tx, await authenticator.register(registration.options));
  return { userId: user.id!, authenticator };
}

const signers = await Promise.all(Array.from({ length: CONCURRENCY }, enrolledSigner));

async function direct({ userId, authenticator }: Signer): Promise<void> {
  const { tx } = await sendauth.authenticateUser(userId);
  const ceremony = await sendauth.getCeremony(tx);
  const response = await authenticator.authenticate(ceremony.options as PublicKeyCredentialRequestOptionsJSON);
  await sendauth.completeCeremony(tx, response);
  const { state } = await sendauth.checkTransaction(tx);
  if (state !== 'verified') throw new Error(`direct: ${state}`);
}

const json = { 'content-type': 'application/json', origin };
async function proxied({ userId, authenticator }: Signer): Promise<void> {
  const start = await fetch(`${origin}/sendauth/authenticate`, { method: 'POST', headers: json, body: JSON.stringify({ userId }) });
  if (start.status !== 201) throw new Error(`proxy start: ${start.status} ${await start.text()}`);
  const { tx, options } = (await start.json()) as CeremonyStart;
  const response = await authenticator.authenticate(options as PublicKeyCredentialRequestOptionsJSON);
  const verify = await fetch(`${origin}/sendauth/tx/${tx}/verify`, { method: 'POST', headers: json, body: JSON.stringify(response) });
  if (verify.status !== 200) throw new Error(`proxy verify: ${verify.status} ${await verify.text()}`);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/** Sequential latencies of `rounds` runs of each arm, interleaved. */
async function latencies(rounds: number): Promise<{ direct: number[]; proxy: number[] }> {
  const out = { direct: [] as number[], proxy: [] as number[] };
  for (let i = 0; i < rounds; i++) {
    for (const [arm, run] of i % 2 ? ([['proxy', proxied], ['direct', direct]] as const) : ([['direct', direct], ['proxy', proxied]] as const)) {
      const t0 = performance.now();
      await run(signers[0]!);
      out[arm].push(performance.now() - t0);
    }
  }
  out.direct.sort((a, b) => a - b);
  out.proxy.sort((a, b) => a - b);
  return out;
}

/** Full authentications per second with `concurrency` in flight. */
async function throughput(run: (signer: Signer) => Promise<void>, total: number, concurrency: number): Promise<number> {
  let started = 0;
  const t0 = performance.now();
  await Promise.all(
    signers.slice(0, concurrency).map(async (signer) => {
      while (started < total) {
        started++;
        await run(signer);
      }
    }),
  );
  return total / ((performance.now() - t0) / 1000);
}

try {
  await latencies(WARMUP);
  const lat = await latencies(ROUNDS);
  // Throughput: alternate the arms three times each and keep the median, so drift hits both.
  await throughput(direct, WARMUP * 2, CONCURRENCY);
  await throughput(proxied, WARMUP * 2, CONCURRENCY);
  const rps = { direct: [] as number[], proxy: [] as number[] };
  for (let i = 0; i < 3; i++) {
    rps.direct.push(await throughput(direct, ROUNDS, CONCURRENCY));
    rps.proxy.push(await throughput(proxied, ROUNDS, CONCURRENCY));
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[1] ?? NaN;
  const directRps = median(rps.direct);
  const proxyRps = median(rps.proxy);
  const fmt = (n: number) => n.toFixed(2).padStart(8);
  const p50d = percentile(lat.direct, 50);
  const p50p = percentile(lat.proxy, 50);
  console.log(`Full authentication (start + sign + verify), ${ROUNDS} rounds each, Node ${process.version}\n`);
  console.log('                  p50 ms   p95 ms   p99 ms');
  console.log(`direct (client) ${fmt(p50d)} ${fmt(percentile(lat.direct, 95))} ${fmt(percentile(lat.direct, 99))}`);
  console.log(`through proxy   ${fmt(p50p)} ${fmt(percentile(lat.proxy, 95))} ${fmt(percentile(lat.proxy, 99))}`);
  console.log(`added by proxy  ${fmt(p50p - p50d)} ms at p50; ratio proxy/direct ${(p50p / p50d).toFixed(2)}x\n`);
  console.log(`throughput, ${CONCURRENCY} in flight, median of 3 alternating runs (authentications/s):`);
  console.log(`direct ${directRps.toFixed(1)}  proxy ${proxyRps.toFixed(1)}  ratio proxy/direct ${(proxyRps / directRps).toFixed(2)}x`);
  console.log('\n(SendAuth here is the emulator in this same process, so throughput compares total CPU per authentication.)');
} finally {
  server.close();
  await emulator.close();
}
