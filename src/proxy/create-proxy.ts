/**
 * `createSendAuthProxy`: the site's trust boundary between the elements and
 * SendAuth (DESIGN.md, wire protocol and Security rules). Routing, body
 * limits and the Fetch plumbing are Hono's; what is ours is who may do what.
 */
import { randomUUID } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { SendAuthClient } from '../api/client.js';
import { isSendAuthError } from '../api/errors.js';
import type {
  CeremonyKind,
  CeremonyStart,
  MeResult,
  RemovePasskeyResult,
  TxStateResult,
  VerifyResult,
} from '../types.js';
import type { ProxyContext, SendAuthProxyHandler, SendAuthProxyOptions } from './options.js';
import { createRateLimiter } from './rate-limit.js';
import { defaultResolveUser } from './resolve-user.js';
import { ProxyRefusal, refusalFromSendAuth, refusalResponse } from './proxy-refusal.js';
import { MemoryTxBindingStore, type TxBinding } from './tx-bindings.js';
import {
  checkAuthenticateRequest,
  checkCeremonyResponse,
  checkRegisterRequest,
  checkSignupRequest,
  checkTxId,
} from './validate.js';

/** SendAuth TXs live 5 minutes; a binding outlives that a little so a late replay is still named as one. */
const BINDING_TTL_MS = 6 * 60_000;

/**
 * One answer for "no such user" and "no passkey", so a stranger cannot tell
 * which names have accounts. Both paths also cost SendAuth the same one
 * `authenticate` call (see `startAuthentication`), so timing does not tell either.
 */
const NO_PASSKEY = (): ProxyRefusal =>
  new ProxyRefusal('no-passkey', 'No passkey is registered for this account. Sign up or add a passkey first.');

/** The routes and the methods each allows, for 405 answers. */
const ROUTES: ReadonlyArray<readonly [RegExp, string]> = [
  [/^\/authenticate$/, 'POST'],
  [/^\/register$/, 'POST'],
  [/^\/signup$/, 'POST'],
  [/^\/tx\/[^/]+\/verify$/, 'POST'],
  [/^\/tx\/[^/]+$/, 'GET, DELETE'],
  [/^\/me$/, 'GET'],
  [/^\/me\/passkey$/, 'DELETE'],
];

type Env = { Bindings: ProxyContext };

/**
 * Creates the proxy: a standard Fetch handler serving the wire protocol under
 * `basePath`. Mount it as is in Hono, Next.js route handlers, Bun, Deno or
 * Workers; use `toNodeListener` for `node:http` and Express.
 */
export function createSendAuthProxy(options: SendAuthProxyOptions): SendAuthProxyHandler {
  if (!options || typeof options !== 'object' || !options.sendauth) {
    throw new TypeError('createSendAuthProxy: `sendauth` (a SendAuthClient or { baseUrl, username, password }) is required.');
  }
  const sendauth = options.sendauth instanceof SendAuthClient ? options.sendauth : new SendAuthClient(options.sendauth);
  const basePath = normalizeBasePath(options.basePath ?? '/sendauth');
  const now = options.now ?? Date.now;
  const bindings = options.txStore ?? new MemoryTxBindingStore(now);
  const limiter = createRateLimiter(options.rateLimit, now);
  const maxBodyBytes = options.maxBodyBytes ?? 65_536;
  const reportError = options.onError ?? ((error: unknown) => console.error('[sendauth proxy]', describe(error)));
  const getSessionUserId = options.getSessionUserId ?? (() => undefined);
  const resolveUser = options.resolveUser ?? defaultResolveUser(sendauth);
  /** TXs whose verification is under way in this process: a concurrent second verify is a replay. */
  const verifying = new Set<string>();

  const app = new Hono<Env>().basePath(basePath);

  app.onError((error) => {
    if (error instanceof ProxyRefusal) return refusalResponse(error);
    reportError(error);
    return refusalResponse(new ProxyRefusal('upstream', 'The server could not complete this request.', { status: 500 }));
  });
  app.notFound((c) => {
    const inside = basePath === '/' || c.req.path === basePath || c.req.path.startsWith(`${basePath}/`);
    const path = c.req.path.slice(basePath.length) || '/';
    const allowed = inside ? ROUTES.find(([pattern]) => pattern.test(path))?.[1] : undefined;
    if (allowed) {
      return refusalResponse(
        new ProxyRefusal('invalid-request', `${c.req.method} is not allowed here; use ${allowed}.`, {
          status: 405,
          headers: { Allow: allowed },
        }),
      );
    }
    return refusalResponse(new ProxyRefusal('invalid-request', `No such endpoint: ${c.req.method} ${c.req.path}`, { status: 404 }));
  });

  // CSRF: a state-changing request must be JSON (a cross-site form cannot send that
  // without a CORS preflight) and come from an allowed Origin.
  app.use('*', async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    const mediaType = c.req.header('content-type')?.split(';')[0]?.trim().toLowerCase();
    if (mediaType !== 'application/json') {
      throw new ProxyRefusal('forbidden', 'State-changing requests must have Content-Type: application/json.');
    }
    const origin = c.req.header('origin');
    const allowed = options.allowedOrigins ?? [new URL(c.req.url).origin];
    if (!origin || !allowed.includes(origin)) {
      throw new ProxyRefusal('forbidden', 'This request did not come from an allowed origin.');
    }
    return next();
  });
  app.use(
    '*',
    bodyLimit({
      maxSize: maxBodyBytes,
      onError: () => refusalResponse(new ProxyRefusal('invalid-request', `The body is larger than ${maxBodyBytes} bytes.`, { status: 413 })),
    }),
  );

  // ── helpers that close over the options ───────────────────────────────

  async function upstream<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      const refusal = refusalFromSendAuth(error);
      if (refusal.code === 'upstream') reportError(error);
      throw refusal;
    }
  }

  async function sessionUserId(c: Context<Env>): Promise<string> {
    const userId = await getSessionUserId(c.req.raw);
    if (!userId) throw new ProxyRefusal('unauthorized', 'Sign in to the site first.');
    return userId;
  }

  let warnedNoClientIp = false;
  /**
   * The rate-limit key of the client's IP, or none when it is unknown (a Fetch
   * runtime without `getClientIp`): one shared bucket would lock every visitor
   * out after a few sign-ins, so the per-user limit then stands alone.
   */
  function ipKeys(c: Context<Env>): string[] {
    const ip = options.getClientIp?.(c.req.raw) ?? c.env?.clientIp;
    if (ip) return [`ip:${ip}`];
    if (!warnedNoClientIp) {
      warnedNoClientIp = true;
      console.warn('[sendauth proxy] The client IP is unknown, so starts are rate limited per user only. Pass `getClientIp`.');
    }
    return [];
  }

  /** Counts a start against each key (`ip:…`, `user:…`); 429 with Retry-After when any is over the limit. */
  async function rateLimit(keys: string[]): Promise<void> {
    const retryAfter = await limiter.check(keys);
    if (retryAfter !== undefined) {
      throw new ProxyRefusal('rate-limited', `Too many attempts. Try again in ${retryAfter} seconds.`, {
        headers: { 'Retry-After': String(retryAfter) },
      });
    }
  }

  /**
   * The second half of every start: fetch the TX's WebAuthn options so the
   * browser gets TX and options in one answer. A TX whose options cannot be
   * had is cancelled, so nothing half-done is left at SendAuth.
   */
  async function ceremonyStart(sendauthTx: string, userId: string, kind: CeremonyKind, flow: TxBinding['flow']): Promise<CeremonyStart> {
    // Bindings are keyed by the lower-case id, as `checkTxId` reads it back from the browser.
    const tx = sendauthTx.toLowerCase();
    try {
      const ceremony = await upstream(() => sendauth.getCeremony(tx));
      if (ceremony.kind !== kind) {
        throw new ProxyRefusal('upstream', `SendAuth answered ${ceremony.kind} options for a ${kind} transaction.`);
      }
      await bindings.set(tx, { userId, kind, flow, state: 'started', expiresAt: now() + BINDING_TTL_MS });
      return ceremony.kind === 'registration'
        ? { tx, kind: 'registration', options: ceremony.options }
        : { tx, kind: 'authentication', options: ceremony.options };
    } catch (error) {
      await sendauth.cancelTransaction(tx).catch(() => undefined);
      throw error;
    }
  }

  async function readJson(c: Context<Env>, { optional = false } = {}): Promise<unknown> {
    const text = await c.req.text();
    if (text.trim() === '') {
      if (optional) return {};
      throw new ProxyRefusal('invalid-request', 'The body must be JSON.');
    }
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new ProxyRefusal('invalid-request', 'The body is not valid JSON.');
    }
  }

  async function knownBinding(tx: string): Promise<TxBinding> {
    const binding = await bindings.get(tx);
    if (!binding) throw new ProxyRefusal('tx-not-found', 'This transaction was not started here, or it has expired.');
    return binding;
  }

  // ── routes ────────────────────────────────────────────────────────────

  app.post('/authenticate', async (c) => {
    const body = checkAuthenticateRequest(await readJson(c));
    const typed = 'userId' in body ? body.userId : body.username;
    await rateLimit(ipKeys(c));
    const userId = 'userId' in body ? body.userId : await upstream(async () => resolveUser(body.username));
    // Per user, not per spelling: an account's email and username share one budget.
    await rateLimit([`user:${userId ?? typed.toLowerCase()}`]);
    let tx: string;
    try {
      // An unknown name asks SendAuth about a random id: the same call, the same
      // 404-or-406 shape of answer, the same time as a known user without a passkey.
      ({ tx } = await sendauth.authenticateUser(userId ?? randomUUID()));
    } catch (error) {
      if (isSendAuthError(error) && (error.code === 'user-not-found' || error.code === 'no-passkey')) throw NO_PASSKEY();
      return upstream(() => Promise.reject(error));
    }
    if (!userId) {
      await sendauth.cancelTransaction(tx).catch(() => undefined);
      throw NO_PASSKEY();
    }
    return c.json(await ceremonyStart(tx, userId, 'authentication', 'authenticate'), 201, noStore);
  });

  app.post('/register', async (c) => {
    checkRegisterRequest(await readJson(c, { optional: true }));
    const userId = await sessionUserId(c);
    await rateLimit([...ipKeys(c), `user:${userId}`]);
    const { tx } = await upstream(() => sendauth.registerUser(userId));
    return c.json(await ceremonyStart(tx, userId, 'registration', 'register'), 201, noStore);
  });

  app.post('/signup', async (c) => {
    if (!options.allowSignup) throw new ProxyRefusal('invalid-request', 'Sign-up is not enabled on this site.', { status: 404 });
    const body = checkSignupRequest(await readJson(c));
    await rateLimit([...ipKeys(c), `signup:${body.email.toLowerCase()}`]);
    const user = await upstream(() => sendauth.createUser(body));
    const userId = user.id;
    if (!userId) throw new ProxyRefusal('upstream', 'SendAuth created the user but returned no id.');
    try {
      const { tx } = await upstream(() => sendauth.registerUser(userId));
      return c.json(await ceremonyStart(tx, userId, 'registration', 'signup'), 201, noStore);
    } catch (error) {
      // No half-made accounts: a user who could not get a passkey ceremony is removed again.
      await sendauth
        .deleteUser(userId)
        .then(() => sendauth.destroyUser(userId))
        .catch((cleanupError: unknown) => reportError(cleanupError));
      throw error;
    }
  });

  app.post('/tx/:tx/verify', async (c) => {
    const tx = checkTxId(c.req.param('tx'));
    const { kind, flow, userId } = await knownBinding(tx);
    const response = checkCeremonyResponse(await readJson(c), kind);
    if (flow === 'register' && (await getSessionUserId(c.req.raw)) !== userId) {
      throw new ProxyRefusal('forbidden', 'This passkey enrolment belongs to another session.');
    }
    if (verifying.has(tx)) throw new ProxyRefusal('replayed', 'This transaction is already being verified.');
    verifying.add(tx);
    try {
      // Read the state again now that this request holds the TX: another verify may
      // have finished while this one's body was arriving.
      const binding = await knownBinding(tx);
      if (binding.state === 'verified') throw new ProxyRefusal('replayed', 'This transaction was already verified.');
      if (binding.state === 'cancelled') throw new ProxyRefusal('cancelled', 'This transaction was cancelled.');
      await upstream(() => sendauth.completeCeremony(tx, response));
      // Never trust the ceremony answer alone, let alone the browser: ask SendAuth for the state.
      const { state } = await upstream(() => sendauth.checkTransaction(tx));
      if (state !== 'verified') {
        throw state === 'expired'
          ? new ProxyRefusal('tx-expired', 'This sign-in request has expired; start again.')
          : new ProxyRefusal('tx-denied', `SendAuth did not verify this transaction (it is ${state}).`);
      }
      await bindings.set(tx, { ...binding, state: 'verified' });
    } finally {
      verifying.delete(tx);
    }
    const extraHeaders = await options.onVerified?.({ userId, kind, tx, request: c.req.raw });
    const body: VerifyResult = { state: 'verified', kind, userId };
    const answer = Response.json(body, { status: 200, headers: noStore });
    if (extraHeaders) {
      const extra = new Headers(extraHeaders);
      // Set-Cookie one by one: `Headers#forEach` would join several into one line.
      for (const cookie of extra.getSetCookie()) answer.headers.append('set-cookie', cookie);
      extra.forEach((value, name) => {
        if (name !== 'set-cookie') answer.headers.set(name, value);
      });
    }
    return answer;
  });

  app.get('/tx/:tx', async (c) => {
    const tx = checkTxId(c.req.param('tx'));
    await knownBinding(tx);
    const { state } = await upstream(() => sendauth.checkTransaction(tx));
    return c.json<TxStateResult>({ state }, 200, noStore);
  });

  app.delete('/tx/:tx', async (c) => {
    const tx = checkTxId(c.req.param('tx'));
    const binding = await knownBinding(tx);
    if (binding.state === 'cancelled') return c.json<TxStateResult>({ state: 'cancelled' }, 200, noStore);
    try {
      await sendauth.cancelTransaction(tx);
    } catch (error) {
      if (isSendAuthError(error) && error.code === 'invalid-request') {
        const { state } = await upstream(() => sendauth.checkTransaction(tx));
        throw new ProxyRefusal('invalid-request', `This transaction is already ${state}; it cannot be cancelled.`, { status: 409 });
      }
      return upstream(() => Promise.reject(error));
    }
    await bindings.set(tx, { ...binding, state: 'cancelled' });
    return c.json<TxStateResult>({ state: 'cancelled' }, 200, noStore);
  });

  app.get('/me', async (c) => {
    const userId = await sessionUserId(c);
    const user = await upstream(() => sendauth.getUser(userId));
    const body: MeResult = { userId, firstName: user.firstName, hasPasskeys: user.hasPasskeys === true };
    if (user.email !== undefined) body.email = user.email;
    return c.json(body, 200, noStore);
  });

  app.delete('/me/passkey', async (c) => {
    const userId = await sessionUserId(c);
    await upstream(() => sendauth.removeUserPasskey(userId));
    return c.json<RemovePasskeyResult>({ hasPasskeys: false }, 200, noStore);
  });

  return async (request, context) => app.fetch(request, context ?? {});
}

const noStore = { 'Cache-Control': 'no-store' };

function normalizeBasePath(path: string): string {
  const trimmed = `/${path}`.replace(/\/+/g, '/').replace(/\/$/, '');
  return trimmed === '' ? '/' : trimmed;
}

/** A log line for an unexpected error: its name and message (SendAuthError messages never hold credentials). */
function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
