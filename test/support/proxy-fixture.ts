/**
 * Shared by the `test/proxy` tests: a running emulator, SendAuth clients for
 * it, proxies on it that record what they reported, users with and without
 * passkeys, and requests to the proxy shaped the way the elements send them.
 *
 * A test file calls `useEmulator()` at its top level, so each file starts
 * and closes its own emulator; `emu` and `client` are live bindings, set once
 * that file's `before` has run.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before } from 'node:test';
import { SendAuthClient, type SendAuthClientOptions } from '../../src/api/index.js';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../src/emulator/index.js';
import {
  createSendAuthProxy,
  type SendAuthProxy,
  type SendAuthProxyHandler,
  type SendAuthProxyOptions,
  type VerifiedEvent,
} from '../../src/proxy/index.js';
import { ERROR_CODES, type ErrorCode } from '../../src/error-codes.js';
import type { CeremonyStart, ErrorBody } from '../../src/wire.js';
import { SoftAuthenticator } from './soft-authenticator.js';

/** The site's own origin in these tests; the emulator accepts any `http://localhost:<port>`. */
export const ORIGIN = 'http://localhost:5173';
export const BASE_PATH = '/sendauth';
/** The tests' stand-in for a site session: the signed-in SendAuth user id, in a header. */
export const SESSION_HEADER = 'x-test-session-user';

/** Distinctive, so a leak is easy to spot in any text. */
export const API_USERNAME = `proxy-api-${randomUUID().slice(0, 8)}`;
export const API_PASSWORD = `Sup3r-Secret-${randomUUID()}`;
export const API_TOKEN = Buffer.from(`${API_USERNAME}:${API_PASSWORD}`).toString('base64');

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function startTestEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  return startEmulator({ port: 0, username: API_USERNAME, password: API_PASSWORD, ...options });
}

export function apiClient(emu: Pick<RunningEmulator, 'url'>, options: Partial<SendAuthClientOptions> = {}): SendAuthClient {
  return new SendAuthClient({ baseUrl: emu.url, username: API_USERNAME, password: API_PASSWORD, ...options });
}

/** The site's session as the proxy sees it: the test header. */
export function sessionFromHeader(request: Request): string | undefined {
  return request.headers.get(SESSION_HEADER) ?? undefined;
}

export let emu: RunningEmulator;
export let client: SendAuthClient;

/** Starts an emulator before the calling file's tests and closes it after them. */
export function useEmulator(): void {
  before(async () => {
    emu = await startTestEmulator();
    client = apiClient(emu);
  });
  after(() => emu.close());
}

/** A proxy and what it reported: each `onVerified` event and each `onError` error, in order. */
export interface RecordingProxy {
  handler: SendAuthProxy;
  verified: VerifiedEvent[];
  errors: unknown[];
}

/** What the site's `onVerified` answers with (its session cookies), or nothing. */
export type SiteCookies = (event: VerifiedEvent) => HeadersInit | undefined;

/**
 * Makes proxies as a site configures them: on `client` (the emulator of
 * `useEmulator`), the session from the test header, `onVerified` answering
 * with `cookies` (none by default), and both reports recorded. Each call's
 * `options` override any of it.
 */
export function proxyFactory(cookies: SiteCookies = () => undefined): (options?: Partial<SendAuthProxyOptions>) => RecordingProxy {
  return (options = {}) => {
    const verified: VerifiedEvent[] = [];
    const errors: unknown[] = [];
    const handler = createSendAuthProxy({
      sendauth: client,
      getSessionUserId: sessionFromHeader,
      onVerified: (event) => {
        verified.push(event);
        return cookies(event);
      },
      onError: (error) => errors.push(error),
      ...options,
    });
    return { handler, verified, errors };
  };
}

export interface TestUser {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
}

export async function createUser(client: SendAuthClient, firstName = 'Grace'): Promise<TestUser> {
  const email = `${randomUUID()}@example.test`;
  const lastName = 'Hopper';
  const user = await client.createUser({ firstName, lastName, email });
  assert.ok(user.id);
  return { id: user.id, email, firstName, lastName };
}

/** A user with one passkey, enrolled directly at SendAuth (not through the proxy); the authenticator holds it. */
export async function createUserWithPasskey(
  client: SendAuthClient,
  firstName = 'Alan',
): Promise<TestUser & { authenticator: SoftAuthenticator }> {
  const user = await createUser(client, firstName);
  const authenticator = new SoftAuthenticator({ origin: ORIGIN });
  const { tx } = await client.registerUser(user.id);
  const ceremony = await client.getCeremony(tx);
  assert.equal(ceremony.kind, 'registration');
  await client.completeCeremony(tx, await authenticator.register(ceremony.options));
  assert.equal((await client.getUser(user.id)).hasPasskeys, true);
  return { ...user, authenticator };
}

export interface CallInit {
  method?: string;
  /** JSON-encoded unless `raw` is given. */
  body?: unknown;
  /** Sent as is (string or bytes or stream); wins over `body`. */
  raw?: BodyInit;
  /** The signed-in user, put in the session header. */
  session?: string;
  /** `null` leaves the header out. @default ORIGIN */
  origin?: string | null;
  /** `null` leaves the header out. @default 'application/json' for requests with a method other than GET/HEAD */
  contentType?: string | null;
  headers?: Record<string, string>;
  /** Client IP handed to the proxy as its context. @default '10.0.0.1' */
  ip?: string | null;
  /** Where the request goes. @default ORIGIN + BASE_PATH + path */
  url?: string;
}

/** A request as the element sends it: JSON, same origin; overridable piece by piece. */
export function proxyRequest(path: string, init: CallInit = {}): Request {
  const method = init.method ?? (init.body === undefined && init.raw === undefined ? 'GET' : 'POST');
  const headers = new Headers(init.headers);
  const isRead = method === 'GET' || method === 'HEAD';
  const contentType = init.contentType === undefined ? (isRead ? null : 'application/json') : init.contentType;
  if (contentType !== null) headers.set('content-type', contentType);
  const origin = init.origin === undefined ? ORIGIN : init.origin;
  if (origin !== null) headers.set('origin', origin);
  if (init.session !== undefined) headers.set(SESSION_HEADER, init.session);
  const body = init.raw ?? (init.body === undefined ? undefined : JSON.stringify(init.body));
  const requestInit: RequestInit & { duplex?: 'half' } = { method, headers };
  if (body !== undefined) requestInit.body = body;
  if (body instanceof ReadableStream) requestInit.duplex = 'half';
  return new Request(init.url ?? `${ORIGIN}${BASE_PATH}${path}`, requestInit);
}

export function call(handler: SendAuthProxyHandler, path: string, init: CallInit = {}): Promise<Response> {
  const ip = init.ip === undefined ? '10.0.0.1' : init.ip;
  return handler(proxyRequest(path, init), ip === null ? {} : { clientIp: ip });
}

/** Reads a JSON answer, with the status, failing readably when it is not JSON. */
export async function readJson<T = unknown>(response: Response): Promise<T> {
  const text = await response.text();
  try {
    return JSON.parse(text) as T;
  } catch {
    assert.fail(`${response.status} answer is not JSON: ${text.slice(0, 300)}`);
  }
}

/** Asserts a 2xx start answer and returns it. */
export async function expectStart(response: Response, kind: CeremonyStart['kind']): Promise<CeremonyStart> {
  const body = await readJson<CeremonyStart>(response);
  assert.equal(response.status, 201, `expected 201, got ${response.status}: ${JSON.stringify(body)}`);
  assert.equal(body.kind, kind);
  assert.match(body.tx, UUID);
  assert.equal(typeof body.options.challenge, 'string');
  return body;
}

/**
 * Asserts the proxy's error answer: the status, JSON, `{ error: { code, message } }`
 * with a known code and a non-empty message, nothing else, no stack trace. Returns the body.
 */
export async function expectError(response: Response, status: number, code?: ErrorCode): Promise<ErrorBody> {
  const text = await response.text();
  const summary = `${response.status} ${text.slice(0, 300)}`;
  assert.equal(response.status, status, `expected ${status}${code ? ` ${code}` : ''}, got ${summary}`);
  assertErrorShape(response, text);
  const body = JSON.parse(text) as ErrorBody;
  if (code) assert.equal(body.error.code, code, summary);
  return body;
}

/** The error contract without a fixed status: JSON, the shape, a known code, a message, no stack. */
export function assertErrorShape(response: Response, text: string): void {
  const summary = `${response.status} ${text.slice(0, 300)}`;
  assert.match(response.headers.get('content-type') ?? '', /^application\/json\b/i, `not JSON: ${summary}`);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    assert.fail(`body is not JSON: ${summary}`);
  }
  assert.ok(typeof body === 'object' && body !== null && !Array.isArray(body), summary);
  assert.deepEqual(Object.keys(body), ['error'], summary);
  const { error } = body as { error: unknown };
  assert.ok(typeof error === 'object' && error !== null, summary);
  assert.deepEqual(Object.keys(error).sort(), ['code', 'message'], summary);
  const { code, message } = error as { code: unknown; message: unknown };
  assert.ok((ERROR_CODES as readonly unknown[]).includes(code), `unknown code ${String(code)}: ${summary}`);
  assert.equal(typeof message, 'string', summary);
  assert.ok((message as string).trim().length > 0, `empty message: ${summary}`);
  assertNoStackTrace(text);
}

export function assertNoStackTrace(text: string): void {
  assert.doesNotMatch(text, /\bat \S*\(?(?:file:|node:|\/)[^\s)]*:\d+/, `stack trace in: ${text.slice(0, 300)}`);
  assert.doesNotMatch(text, /\.(?:ts|js|mjs):\d+:\d+/, `source position in: ${text.slice(0, 300)}`);
  assert.doesNotMatch(text, /\/work\/|node_modules|<html/i, `internals in: ${text.slice(0, 300)}`);
}

/**
 * A `fetch` for `SendAuthClient` that records each request as
 * `METHOD /path/with/:id` (UUIDs templated), so two runs can be compared by
 * the requests they made, not by ids.
 */
export function countingFetch(): { fetch: typeof fetch; requests: string[] } {
  const requests: string[] = [];
  const counting: typeof fetch = async (input, init) => {
    const request = input instanceof Request ? input : new Request(input, init);
    const { pathname } = new URL(request.url);
    requests.push(`${request.method} ${pathname.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, ':id')}`);
    return fetch(input, init);
  };
  return { fetch: counting, requests };
}

/** A clock the test moves by hand. */
export function manualClock(start = Date.now()): { now: () => number; advance: (ms: number) => void } {
  let at = start;
  return { now: () => at, advance: (ms) => void (at += ms) };
}

/** A `node:http` server on 127.0.0.1:<random>, closed by `close()` (open connections dropped). */
export async function listenLocal(server: Server): Promise<{ url: string; port: number; close: () => Promise<void> }> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A port nothing listens on (bound, then released). */
export async function closedPortUrl(): Promise<string> {
  const server = await listenLocal(createServer());
  await server.close();
  return server.url;
}

export { SoftAuthenticator };
