/**
 * What the proxy's route modules share: the Hono app type, `route()` (a
 * handler per wire endpoint, from `wire.ts`), reading the body, and the
 * calls every route makes — SendAuth with its failures mapped, the session's
 * user, the rate limits.
 */
import type { Context, Hono } from 'hono';
import type { CeremonyKind } from '../types.js';
import { WIRE, type VerifyResult, type WireName, type WireTypes } from '../wire.js';
import type { ProxyContext, ResolvedProxyOptions } from './options.js';
import { ProxyRefusal, refusalFromSendAuth } from './proxy-refusal.js';
import type { StoreHit } from './store.js';
import { txKey, type TxBinding } from './tx-bindings.js';
import { clearUnfinishedSignup } from './unfinished-signups.js';
import { checkJsonDepth } from './validate.js';

export type ProxyEnv = { Bindings: ProxyContext };
export type ProxyApp = Hono<ProxyEnv>;
export type ProxyRequestContext = Context<ProxyEnv>;

/** The resolved options, plus what the routes keep between requests in this process. */
export interface ProxyDeps extends ResolvedProxyOptions {
  /** Whether the "client IP unknown" warning was printed. */
  warnedNoClientIp: boolean;
}

/** What a route hands back: the answer body, and headers to add (e.g. `onVerified`'s `Set-Cookie`). */
export interface RouteAnswer<K extends WireName> {
  answer: WireTypes[K]['answer'];
  headers?: Headers;
}

/** Registers the handler of one wire endpoint at its path and method; its answer goes out with the table's status, uncached. */
export function route<K extends WireName>(
  app: ProxyApp,
  name: K,
  handler: (c: ProxyRequestContext) => Promise<RouteAnswer<K>>,
): void {
  const { method, path, ok } = WIRE[name];
  // The table's `:tx` is Hono's own parameter syntax.
  app.on(method, `/${path}`, async (c) => {
    const { answer, headers } = await handler(c);
    const response = Response.json(answer, { status: ok, headers: { 'Cache-Control': 'no-store' } });
    if (headers) {
      // Set-Cookie one by one: `Headers#forEach` would join several into one line.
      for (const cookie of headers.getSetCookie()) response.headers.append('set-cookie', cookie);
      headers.forEach((value, header) => {
        if (header !== 'set-cookie') response.headers.set(header, value);
      });
    }
    return response;
  });
}

/** The JSON body; an empty body is `{}` when `optional`. 400 when it is not JSON or nested more than `MAX_JSON_DEPTH` levels. */
export async function readJson(c: ProxyRequestContext, { optional = false } = {}): Promise<unknown> {
  const text = await c.req.text();
  if (text.trim() === '') {
    if (optional) return {};
    throw new ProxyRefusal('invalid-request', 'The body must be JSON.');
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ProxyRefusal('invalid-request', 'The body is not valid JSON.');
  }
  checkJsonDepth(body);
  return body;
}

/** Runs a SendAuth call; a failure becomes the refusal the registry says, and every `upstream` one is reported. */
export async function upstream<T>(deps: ProxyDeps, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const refusal = refusalFromSendAuth(error);
    if (refusal.code === 'upstream') deps.reportError(error);
    throw refusal;
  }
}

/** The site's signed-in user; 401 `unauthorized` without one. */
export async function sessionUserId(deps: ProxyDeps, c: ProxyRequestContext): Promise<string> {
  const userId = await deps.getSessionUserId(c.req.raw);
  if (!userId) throw new ProxyRefusal('unauthorized', 'Sign in to the site first.');
  return userId;
}

/**
 * The rate-limit key of the client's IP, or none when it is unknown (a Fetch
 * runtime without `getClientIp`): one shared bucket would lock every visitor
 * out after a few sign-ins, so the per-user limit then stands alone.
 */
export function ipKeys(deps: ProxyDeps, c: ProxyRequestContext): string[] {
  const ip = deps.getClientIp?.(c.req.raw) ?? c.env?.clientIp;
  if (ip) return [`ip:${deps.limiter.ipKey(ip)}`];
  if (!deps.warnedNoClientIp) {
    deps.warnedNoClientIp = true;
    console.warn('[sendauth proxy] The client IP is unknown, so starts are rate limited per user only. Pass `getClientIp`.');
  }
  return [];
}

/** Counts a start against each key (`ip:…`, `user:…`); 429 with Retry-After when any is over the limit. */
export async function rateLimit(deps: ProxyDeps, keys: string[]): Promise<void> {
  const retryAfter = await deps.limiter.check(keys);
  if (retryAfter !== undefined) {
    throw new ProxyRefusal('rate-limited', `Too many attempts. Try again in ${retryAfter} seconds.`, {
      headers: { 'Retry-After': String(retryAfter) },
    });
  }
}

/**
 * How many requests about one TX may ask SendAuth themselves (`verify`, `complete`, `cancel`;
 * `GET tx/{tx}` goes through the follower instead). A browser needs one or two of each; past this a
 * visitor's loop over their own TX would only spend the site's SendAuth quota, so it is refused.
 */
export const TX_ATTEMPTS_MAX = 10;

/**
 * Counts a request about `tx` that is about to ask SendAuth, in the store (so across instances),
 * for as long as the TX's binding lives; 429 `rate-limited` with Retry-After past `TX_ATTEMPTS_MAX`.
 * Call it only after the request has shown it may act on the TX (its proof, its session), so a
 * stranger who knows a TX id cannot spend its starter's budget.
 */
export async function countTxAttempt(deps: ProxyDeps, tx: string, binding: TxBinding): Promise<void> {
  refuseOverBudget(deps, await deps.store.hit(txKey('attempts', tx), Math.max(1, binding.expiresAt - deps.now())));
}

/** 429 `rate-limited` with Retry-After when a TX's budget, counted (`countTxAttempt`, or with verify's claim), is past `TX_ATTEMPTS_MAX`. */
export function refuseOverBudget(deps: ProxyDeps, { count, resetAt }: StoreHit): void {
  if (count <= TX_ATTEMPTS_MAX) return;
  const retryAfter = Math.max(1, Math.ceil((resetAt - deps.now()) / 1000));
  throw new ProxyRefusal('rate-limited', `Too many requests about this transaction. Start again, or try again in ${retryAfter} seconds.`, {
    headers: { 'Retry-After': String(retryAfter) },
  });
}

/**
 * The end of a sign-in or enrolment SendAuth has confirmed `verified` (by `verify` or `complete`):
 * a sign-up is finished (its user no longer one a later sign-up may remove: `unfinished-signups.ts`;
 * should that fail, the verified TX alone already keeps the user, and it is reported), and
 * `onVerified` opens the site's session; its headers go on the answer.
 */
export async function verifiedAnswer(
  deps: ProxyDeps,
  c: ProxyRequestContext,
  verified: { tx: string; userId: string; kind: CeremonyKind; flow: TxBinding['flow'] },
): Promise<{ answer: VerifyResult; headers?: Headers }> {
  const { tx, userId, kind, flow } = verified;
  if (flow === 'signup') await clearUnfinishedSignup(deps.sendauth, userId).catch((error: unknown) => deps.reportError(error));
  const headers = await deps.onVerified({ userId, kind, tx, request: c.req.raw });
  return { answer: { state: 'verified', kind, userId }, ...(headers ? { headers: new Headers(headers) } : {}) };
}
