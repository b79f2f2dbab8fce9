/**
 * The proxy's options, and their defaults in one place (`resolveProxyOptions`).
 */
import { SendAuthClient, type SendAuthClientOptions } from '../api/client.js';
import type { CeremonyKind } from '../types.js';
import { guardStore } from './guard-store.js';
import { createRateLimiter, type RateLimiter, type RateLimitOptions } from './rate-limit.js';
import { defaultResolveUser } from './resolve-user.js';
import { MemoryStore, type ProxyStore } from './store.js';
import { TxBindings, type TxBindingStore } from './tx-bindings.js';
import { TxFollower } from './tx-follower.js';

/**
 * How a start runs its TX: `webauthn`, the in-browser ceremony (SendAuth must serve the assumed
 * ceremony endpoints, `api/ceremony.ts`); `approval`, SendAuth's documented flow (the user approves
 * on their own device; the ceremony endpoints are never called); `auto`, webauthn where SendAuth
 * serves the TX's options (one GET to find out), else approval.
 */
export type CeremonyChoice = 'auto' | 'webauthn' | 'approval';

/** Approval on another device (DESIGN.md), and step-up (`approve`). */
export interface ApprovalOptions {
  /**
   * The site's name in the notification's message (with the code and the browser).
   * @default the host of the first of `allowedOrigins`; without those, the request's host, which
   * comes from its `Host` header: any client that reaches the server directly chooses that, and
   * with it the name a person reads in a genuine notification, so set this (or `allowedOrigins`).
   */
  siteName?: string;
  /**
   * Approval starts per user (every approval notifies their devices, so it is limited harder than
   * other starts); `false` turns the limit off. @default { limit: 3, windowMs: 900_000 }
   */
  rateLimit?: Pick<RateLimitOptions, 'limit' | 'windowMs'> | false;
  /** How often the proxy asks SendAuth's `check` about a TX that browsers wait on, in ms (once per TX). @default 2_000 */
  pollIntervalMs?: number;
}

export interface VerifiedEvent {
  /** The user SendAuth verified: the one the TX was created for, never one the browser named. */
  userId: string;
  kind: CeremonyKind;
  tx: string;
  /** The browser's `verify` request (cookies, headers) for the site's own session logic. */
  request: Request;
}

export interface SendAuthProxyOptions {
  /** The SendAuth API: a client, or the settings to make one. Credentials stay on the server. */
  sendauth: SendAuthClient | Pick<SendAuthClientOptions, 'baseUrl' | 'username' | 'password' | 'timeoutMs'>;
  /** Where the proxy is mounted; paths outside it answer 404. @default '/sendauth' */
  basePath?: string;
  /**
   * The site's signed-in user (a SendAuth user id), for `register`, `me` and
   * `me/passkey`. Without it those answer 401.
   * @default () => undefined
   */
  getSessionUserId?: (request: Request) => string | undefined | Promise<string | undefined>;
  /**
   * Called once per transaction, after SendAuth has confirmed it `verified`.
   * The place to open the site's session: headers it returns (e.g.
   * `Set-Cookie`) are added to the `verify` answer. If it throws, the
   * browser gets a 500 and no session.
   * @default () => undefined
   */
  onVerified?: (event: VerifiedEvent) => void | HeadersInit | Promise<void | HeadersInit>;
  /**
   * Turns what a visitor typed into a SendAuth user id, or `undefined` when
   * there is none.
   * @default an exact, case-insensitive match on email or username among `listUsers({ q })`
   */
  resolveUser?: (username: string) => string | undefined | Promise<string | undefined>;
  /** Lets visitors create an account with `POST signup`; otherwise it answers 404. @default false */
  allowSignup?: boolean;
  /**
   * How starts run their TX (`CeremonyChoice`). The browser may also ask for approval itself
   * (`mode: "approval"`), unless this is `webauthn` (then 400).
   * @default 'auto'
   */
  ceremony?: CeremonyChoice;
  /** Approval on another device and step-up: the site's name, the approval limit, the polling interval. */
  approval?: ApprovalOptions;
  /**
   * Origins allowed to make state-changing requests (CSRF). Set it when the
   * proxy sits behind a reverse proxy that changes the Host it sees.
   * @default [the request's own origin]
   */
  allowedOrigins?: string[];
  /**
   * Limits on ceremony starts per user and per client IP (`RateLimitOptions`); `false` turns them off.
   * IPv6 clients count per network of `ipv6Prefix` bits; every spelling of an address
   * (IPv4-mapped, zero compression, case, zone id) counts as one.
   * @default { limit: 10, windowMs: 600_000, ipLimit: 30, ipWindowMs: 60_000, ipv6Prefix: 64 }
   */
  rateLimit?: RateLimitOptions | false;
  /**
   * The client's IP for rate limiting. `toNodeListener` passes the socket's
   * address; on other runtimes read the header your edge sets
   * (e.g. `cf-connecting-ip`).
   * @default the address `toNodeListener` passes; without one, starts are limited per user only (with a warning)
   */
  getClientIp?: (request: Request) => string | undefined;
  /**
   * Where the proxy keeps what it must remember: TX bindings, rate-limit counters, once-only
   * markers. Share one across instances (`createRedisStore`); when it fails, starts and verifies
   * answer 503 `upstream` and the failure goes to `onError`.
   * @default a `MemoryStore` (this process only)
   */
  store?: ProxyStore;
  /** @deprecated Use `store`. Where transaction bindings live; kept for one release. */
  txStore?: TxBindingStore;
  /** Largest request body accepted, in bytes. @default 65_536 */
  maxBodyBytes?: number;
  /**
   * Unexpected failures (a throwing hook, a SendAuth misconfiguration), for the
   * site's logs. Messages never contain credentials.
   * @default console.error
   */
  onError?: (error: unknown) => void;
  /** Clock in ms, for tests. @default Date.now */
  now?: () => number;
}

/** What the Node adapter (or any host) may pass beside the request. */
export interface ProxyContext {
  clientIp?: string;
  /**
   * Set by the host when the request's body was read before the proxy and cannot be had (a body
   * parser mounted ahead of it): a sentence naming the fix. The proxy answers 500 and reports it
   * through `onError` instead of refusing the visitor.
   */
  unreadableBody?: string;
}

/** A standard Fetch handler; the optional second argument carries the client's IP when the host knows it. */
export type SendAuthProxyHandler = (request: Request, context?: ProxyContext) => Promise<Response>;

/** Every option with its default applied, and the objects the options describe made once. */
export interface ResolvedProxyOptions {
  sendauth: SendAuthClient;
  basePath: string;
  now: () => number;
  /** The store, guarded: a failure is reported and becomes a 503 `upstream` refusal. */
  store: ProxyStore;
  bindings: TxBindings;
  limiter: RateLimiter;
  ceremony: CeremonyChoice;
  /** `undefined`: the request's host. */
  siteName: string | undefined;
  approvalLimiter: RateLimiter;
  follower: TxFollower;
  maxBodyBytes: number;
  reportError: (error: unknown) => void;
  getSessionUserId: (request: Request) => string | undefined | Promise<string | undefined>;
  onVerified: (event: VerifiedEvent) => void | HeadersInit | Promise<void | HeadersInit>;
  resolveUser: (username: string) => string | undefined | Promise<string | undefined>;
  allowSignup: boolean;
  /** `undefined`: the request's own origin. */
  allowedOrigins: readonly string[] | undefined;
  getClientIp: ((request: Request) => string | undefined) | undefined;
}

/** The defaults, in one place. Throws a `TypeError` naming what is missing. */
export function resolveProxyOptions(options: SendAuthProxyOptions): ResolvedProxyOptions {
  if (!options || typeof options !== 'object' || !options.sendauth) {
    throw new TypeError('createSendAuthProxy: `sendauth` (a SendAuthClient or { baseUrl, username, password }) is required.');
  }
  const sendauth = options.sendauth instanceof SendAuthClient ? options.sendauth : new SendAuthClient(options.sendauth);
  const now = options.now ?? Date.now;
  const reportError = options.onError ?? ((error: unknown) => console.error('[sendauth proxy]', describe(error)));
  const store = guardStore(options.store ?? new MemoryStore(now), reportError);
  const ceremony = options.ceremony ?? 'auto';
  if (!['auto', 'webauthn', 'approval'].includes(ceremony)) {
    throw new TypeError('createSendAuthProxy: `ceremony` must be "auto", "webauthn" or "approval".');
  }
  const { siteName, rateLimit: approvalRateLimit, pollIntervalMs = 2_000 } = options.approval ?? {};
  if (!(Number.isFinite(pollIntervalMs) && pollIntervalMs >= 100)) {
    throw new TypeError('createSendAuthProxy: `approval.pollIntervalMs` must be at least 100 (ms).');
  }
  return {
    sendauth,
    basePath: normalizeBasePath(options.basePath ?? '/sendauth'),
    now,
    store,
    bindings: new TxBindings(store, now, options.txStore),
    limiter: createRateLimiter(options.rateLimit, store, now),
    ceremony,
    siteName: siteName ?? originHost(options.allowedOrigins?.[0]),
    approvalLimiter: createRateLimiter(approvalRateLimit ?? { limit: 3, windowMs: 15 * 60_000 }, store, now),
    follower: new TxFollower({ sendauth, store, now, intervalMs: pollIntervalMs, reportError }),
    maxBodyBytes: options.maxBodyBytes ?? 65_536,
    reportError,
    getSessionUserId: options.getSessionUserId ?? (() => undefined),
    onVerified: options.onVerified ?? (() => undefined),
    resolveUser: options.resolveUser ?? defaultResolveUser(sendauth),
    allowSignup: options.allowSignup ?? false,
    allowedOrigins: options.allowedOrigins,
    getClientIp: options.getClientIp,
  };
}

function normalizeBasePath(path: string): string {
  const trimmed = `/${path}`.replace(/\/+/g, '/').replace(/\/$/, '');
  return trimmed === '' ? '/' : trimmed;
}

/** A log line for an unexpected error: its name and message (SendAuthError messages never hold credentials). */
function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** `https://www.example.com` → `www.example.com`; `undefined` for none or no URL. */
function originHost(origin: string | undefined): string | undefined {
  if (origin === undefined) return undefined;
  try {
    return new URL(origin).host || undefined;
  } catch {
    return undefined;
  }
}
