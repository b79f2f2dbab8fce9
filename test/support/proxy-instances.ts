/**
 * Several proxy instances sharing one Redis, as a site runs them behind a
 * load balancer: each a real child process (`proxy-instance.ts`) with its own
 * `createSendAuthProxy`, `toNodeListener` and node-redis client, all on one
 * emulator and one `redis-server`, behind a round-robin forwarder that adds
 * `X-Forwarded-For` and says which instance answered (`x-served-by`).
 *
 * Counting across processes: each instance reports `onVerified` and
 * `onError` (and whatever an `optionsModule` reports) over IPC;
 * `events(type)` first asks every instance to flush, so it sees every report
 * made before it was called.
 *
 * Adding a case (as `redis-approval-instances.test.ts` does for "an approval
 * completion is once-only across them"):
 *   1. Start the emulator the case needs in the test (the approval flow's
 *      mode) and pass it as `emulator`.
 *   2. If the proxy needs a hook that is a function (a site callback), write
 *      a small module whose default export is
 *      `(report) => ({ theHook: (…) => { report({ type: 'my-event', … }); … } })`
 *      and pass its absolute path as `optionsModule`; JSON-able options go in
 *      `options`.
 *   3. Start the TX through `instances.fetch` (instance k), let the user approve
 *      at the emulator, then fire the completions concurrently through
 *      `instances.fetch` (spread round-robin over the others), and assert one
 *      200 and `(await instances.events('verified')).length === 1` (plus your
 *      own event type), as `redis-instances.test.ts` does for verify.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import type { SendAuthProxyOptions } from '../../src/proxy/index.js';
import type { ErrorReport, InstanceConfig, InstanceEvent, VerifiedReport } from './proxy-instance.js';
import { listenLocal } from './proxy-fixture.js';

export type { ErrorReport, InstanceEvent, VerifiedReport };

/** The header a test sets to play a visitor's IP (the forwarder turns it into `X-Forwarded-For`). */
export const CLIENT_IP_HEADER = 'x-test-client-ip';

export interface ProxyInstancesOptions {
  /** @default 3 */
  count?: number;
  emulator: { url: string; username: string; password: string };
  redis: { url: string; prefix?: string; timeoutMs?: number };
  /** JSON-able proxy options for every instance. */
  options?: Partial<SendAuthProxyOptions>;
  /** See `InstanceConfig.optionsModule`. */
  optionsModule?: string;
}

export interface ProxyInstance {
  index: number;
  /** The instance's own `http://127.0.0.1:<port>`, bypassing the forwarder. */
  url: string;
  process: ChildProcess;
}

export interface ProxyInstances {
  instances: ProxyInstance[];
  /** The forwarder's `http://127.0.0.1:<port>`: each request goes to the next instance in turn. */
  url: string;
  /** `fetch` through the forwarder; `init.clientIp` plays the visitor's IP. */
  fetch(path: string, init?: RequestInit & { clientIp?: string }): Promise<Response>;
  /** Every report of `type` so far, from every instance, each with the instance's index. */
  events(type: 'verified'): Promise<Array<VerifiedReport & { index: number }>>;
  events(type: 'error'): Promise<Array<ErrorReport & { index: number }>>;
  events(type: string): Promise<Array<InstanceEvent & { index: number }>>;
  /** Which instances have exited (a crash shows here), with their exit code or signal. */
  exited(): Array<{ index: number; code: number | string }>;
  close(): Promise<void>;
}

const CHILD = fileURLToPath(new URL('./proxy-instance.ts', import.meta.url));

/** Starts `count` proxy processes and the forwarder in front of them. */
export async function startProxyInstances(options: ProxyInstancesOptions): Promise<ProxyInstances> {
  const count = options.count ?? 3;
  const reports: Array<InstanceEvent & { index: number }> = [];
  const exits: Array<{ index: number; code: number | string }> = [];
  const flushes = new Map<number, () => void>();
  let nextFlush = 0;

  const instances = await Promise.all(
    Array.from({ length: count }, (_, index) => {
      const config: InstanceConfig = {
        index,
        sendauth: { baseUrl: options.emulator.url, username: options.emulator.username, password: options.emulator.password },
        redis: { url: options.redis.url, prefix: options.redis.prefix ?? 'sendauth:', timeoutMs: options.redis.timeoutMs ?? 1_000 },
        options: options.options ?? {},
        ...(options.optionsModule ? { optionsModule: options.optionsModule } : {}),
      };
      const child = fork(CHILD, [JSON.stringify(config)], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      child.on('message', (message: { type: string; index?: number; event?: InstanceEvent; id?: number }) => {
        if (message.type === 'event' && message.event) reports.push({ ...message.event, index });
        if (message.type === 'flushed' && message.id !== undefined) flushes.get(message.id)?.();
      });
      child.on('exit', (code, signal) => exits.push({ index, code: code ?? signal ?? 'unknown' }));
      return new Promise<ProxyInstance>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`proxy instance ${index} did not start within 30 s`)), 30_000);
        child.on('message', (message: { type: string; url?: string }) => {
          if (message.type !== 'ready' || !message.url) return;
          clearTimeout(timer);
          resolve({ index, url: message.url, process: child });
        });
        child.once('exit', (code) => {
          clearTimeout(timer);
          reject(new Error(`proxy instance ${index} exited (${code}) before it was ready`));
        });
        // A child that could not be started or sent to: its error, not an uncaught exception.
        child.on('error', (error) => {
          clearTimeout(timer);
          reject(error);
        });
      });
    }),
  );

  let next = 0;
  const forwarder = await listenLocal(
    createServer((req: IncomingMessage, res: ServerResponse) => {
      const target = instances[next++ % instances.length]!;
      const visitor = (req.headers[CLIENT_IP_HEADER] as string | undefined) ?? req.socket.remoteAddress ?? '';
      const { [CLIENT_IP_HEADER]: _played, ...headers } = req.headers;
      const upstream = httpRequest(
        `${target.url}${req.url ?? '/'}`,
        { method: req.method, headers: { ...headers, 'x-forwarded-for': visitor } },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, { ...answer.headers, 'x-served-by': String(target.index) });
          answer.pipe(res);
        },
      );
      upstream.on('error', (error) => {
        res.writeHead(502, { 'content-type': 'text/plain', 'x-served-by': String(target.index) });
        res.end(`forwarder: instance ${target.index} failed: ${error.message}`);
      });
      req.pipe(upstream);
    }),
  );

  async function flush(instance: ProxyInstance): Promise<void> {
    if (!instance.process.connected) return;
    const id = nextFlush++;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        instance.process.off('exit', done);
        flushes.delete(id);
        resolve();
      };
      flushes.set(id, done);
      instance.process.once('exit', done); // a dead instance reports nothing more
      instance.process.send({ type: 'flush', id });
    });
  }

  return {
    instances,
    url: forwarder.url,
    fetch(path, init = {}) {
      const { clientIp, ...rest } = init;
      const headers = new Headers(rest.headers);
      if (clientIp) headers.set(CLIENT_IP_HEADER, clientIp);
      return fetch(`${forwarder.url}${path}`, { ...rest, headers });
    },
    async events(type: string) {
      await Promise.all(instances.map(flush));
      // The instance's own `report` gives each type its shape; the overloads name them.
      return reports.filter((event) => event.type === type) as Array<VerifiedReport & ErrorReport & { index: number }>;
    },
    exited: () => [...exits],
    async close() {
      await forwarder.close();
      await Promise.all(
        instances.map(async ({ process: child }) => {
          if (child.exitCode !== null || child.signalCode !== null) return;
          const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
          if (child.connected) child.send({ type: 'stop' });
          const timer = setTimeout(() => child.pid !== undefined && process.kill(child.pid, 'SIGKILL'), 5_000);
          await gone;
          clearTimeout(timer);
        }),
      );
    },
  };
}
