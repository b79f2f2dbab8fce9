/**
 * One proxy instance in its own process, for `proxy-instances.ts`: its own
 * node-redis client and `createRedisStore`, its own `createSendAuthProxy`
 * behind `toNodeListener` on a free loopback port, on the parent's emulator
 * and Redis. What a site learns from the proxy (`onVerified`, `onError`) is
 * reported to the parent over IPC, so the parent can count it across
 * processes. Run as `node --import tsx proxy-instance.ts '<InstanceConfig JSON>'`.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { createClient } from 'redis';
import { SendAuthClient } from '../../src/api/index.js';
import { createRedisStore, createSendAuthProxy, toNodeListener, type SendAuthProxyOptions } from '../../src/proxy/index.js';

/** What the parent hands each instance (JSON: no functions). */
export interface InstanceConfig {
  /** 0, 1, 2, …: named in every report. */
  index: number;
  sendauth: { baseUrl: string; username: string; password: string };
  redis: { url: string; prefix: string; timeoutMs: number };
  /** JSON-able proxy options (`rateLimit`, `allowedOrigins`, `basePath`, …). */
  options: Partial<SendAuthProxyOptions>;
  /**
   * A module (absolute path) whose default export makes more options, functions included:
   * `(report: (event: InstanceEvent) => void) => Partial<SendAuthProxyOptions>`. How a test adds
   * hooks a new feature needs (they run in this process; report what the parent must count).
   */
  optionsModule?: string;
}

/** What an instance reports to the parent. `type` is open so an `optionsModule` may add its own. */
export type InstanceEvent = VerifiedReport | ErrorReport | { type: string; [field: string]: unknown };
/** `onVerified` ran in that instance. */
export interface VerifiedReport {
  type: 'verified';
  userId: string;
  kind: string;
  tx: string;
}
/** `onError` ran in that instance. */
export interface ErrorReport {
  type: 'error';
  name: string;
  message: string;
}

/** The header the tests' site session lives in (as in `proxy-fixture.ts`). */
const SESSION_HEADER = 'x-test-session-user';

type Message = { type: 'flush'; id: number } | { type: 'stop' };

const config = JSON.parse(process.argv[2] ?? '') as InstanceConfig;
const send = (message: object): void => void process.send?.(message);
const report = (event: InstanceEvent): void => send({ type: 'event', index: config.index, event });

const redis = createClient({ url: config.redis.url });
// A dropped connection is an `error` event; failed calls reach `onError` through the store anyway.
redis.on('error', () => undefined);
await redis.connect();

const extra = config.optionsModule
  ? ((await import(pathToFileURL(config.optionsModule).href)) as { default: (r: typeof report) => Partial<SendAuthProxyOptions> }).default(report)
  : {};
const handler = createSendAuthProxy({
  sendauth: new SendAuthClient(config.sendauth),
  store: createRedisStore(redis, { prefix: config.redis.prefix, timeoutMs: config.redis.timeoutMs }),
  getSessionUserId: (request) => request.headers.get(SESSION_HEADER) ?? undefined,
  // Behind the forwarder, as behind a load balancer: the visitor's IP is the last X-Forwarded-For entry it added.
  getClientIp: (request) => request.headers.get('x-forwarded-for')?.split(',').at(-1)?.trim() || undefined,
  onVerified: ({ userId, kind, tx }) => report({ type: 'verified', userId, kind, tx }),
  onError: (error) => report({ type: 'error', name: error instanceof Error ? error.name : typeof error, message: String(error instanceof Error ? error.message : error) }),
  ...config.options,
  ...extra,
});

const server = createServer(toNodeListener(handler));
server.listen(0, '127.0.0.1', () => {
  send({ type: 'ready', index: config.index, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
});

// The parent is gone (it ended without `stop`): leave no orphan listening.
process.on('disconnect', () => process.exit(0));
process.on('message', (message: Message) => {
  // IPC keeps order: every report sent before this reply reaches the parent before it.
  if (message.type === 'flush') send({ type: 'flushed', id: message.id });
  if (message.type === 'stop') {
    server.closeAllConnections();
    server.close();
    redis.destroy();
    process.disconnect(); // and exits through the 'disconnect' handler
  }
});
