/** Steps the emulator tests repeat: a fresh user, a full registration, the options of an authentication TX, the outbox and the respond page's calls. */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type {
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  TX,
  User,
} from '../../src/types.js';
import type { OutboxEntry } from '../../src/emulator/outbox.js';
import type { ApiResponse, TestEmulator } from '../support/emulator-fixture.js';
import type { SoftAuthenticator } from '../support/soft-authenticator.js';

/** Letters only (names must be 2–50 characters), unique per call. */
export function uniqueName(prefix: string): string {
  return `${prefix}${randomUUID().replaceAll('-', '').slice(0, 10)}`;
}

/** Creates a user with a unique e-mail; asserts 201. */
export async function createUser(t: TestEmulator, fields: Partial<User> = {}): Promise<User & { id: string }> {
  const firstName = uniqueName('Ann');
  const body = { firstName, lastName: 'Tester', email: `${firstName.toLowerCase()}@example.com`, ...fields };
  const res = await t.request<User & { id: string }>('POST', '/api/v1/users', { body });
  assert.equal(res.status, 201, res.text);
  return res.body;
}

export async function startRegistration(t: TestEmulator, userId: string): Promise<{ tx: string; options: PublicKeyCredentialCreationOptionsJSON }> {
  const start = await t.request<TX>('POST', `/api/v1/users/${userId}/register`);
  assert.equal(start.status, 201, start.text);
  const ceremony = await t.request<{ kind: string; options: PublicKeyCredentialCreationOptionsJSON }>('GET', `/api/v1/transactions/${start.body.tx}/webauthn`);
  assert.equal(ceremony.status, 200, ceremony.text);
  assert.equal(ceremony.body.kind, 'registration');
  return { tx: start.body.tx, options: ceremony.body.options };
}

export async function startAuthentication(t: TestEmulator, userId: string, webTx?: object): Promise<{ tx: string; options: PublicKeyCredentialRequestOptionsJSON }> {
  const start = await t.request<TX>('POST', `/api/v1/users/${userId}/authenticate`, webTx === undefined ? {} : { body: webTx });
  assert.equal(start.status, 201, start.text);
  const ceremony = await t.request<{ kind: string; options: PublicKeyCredentialRequestOptionsJSON }>('GET', `/api/v1/transactions/${start.body.tx}/webauthn`);
  assert.equal(ceremony.status, 200, ceremony.text);
  assert.equal(ceremony.body.kind, 'authentication');
  return { tx: start.body.tx, options: ceremony.body.options };
}

/** A full registration ceremony; asserts it verifies. */
export async function registerPasskey(t: TestEmulator, userId: string, authenticator: SoftAuthenticator): Promise<void> {
  const { tx, options } = await startRegistration(t, userId);
  const response = await authenticator.register(options);
  const verify = await t.request('POST', `/api/v1/transactions/${tx}/webauthn`, { body: response });
  assert.equal(verify.status, 200, verify.text);
  assert.deepEqual(verify.body, { state: 'verified' });
}

export async function txState(t: TestEmulator, tx: string): Promise<string> {
  const res = await t.request<{ state: string }>('GET', `/api/v1/transactions/${tx}/check`);
  assert.equal(res.status, 200, res.text);
  return res.body.state;
}

/** Every error body is `{ error: <non-empty string>, ... }` and JSON. */
export function assertJsonError(res: { status: number; headers: Headers; body: unknown; text: string }, status: number): { error: string; state?: string; field?: string } {
  assert.equal(res.status, status, `expected ${status}, got ${res.status}: ${res.text}`);
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
  const body = res.body as { error?: unknown };
  assert.equal(typeof body.error, 'string', res.text);
  assert.ok((body.error as string).length > 0);
  assert.doesNotMatch(res.text, /\n\s+at /, 'no stack trace');
  return body as { error: string; state?: string; field?: string };
}

/** The outbox, as a developer's browser reads it: `GET /outbox.json`, no basic auth. */
export async function readOutbox(t: TestEmulator): Promise<OutboxEntry[]> {
  const res = await t.request<OutboxEntry[]>('GET', '/outbox.json', { auth: false });
  assert.equal(res.status, 200, res.text);
  return res.body;
}

/** The outbox entry of one TX; asserts there is exactly one. */
export async function outboxEntry(t: TestEmulator, tx: string): Promise<OutboxEntry> {
  const entries = (await readOutbox(t)).filter((entry) => entry.tx === tx);
  assert.equal(entries.length, 1, `one outbox entry for TX ${tx}`);
  return entries[0]!;
}

/** The path and query of a link (fetched on the emulator's own URL: `localhost` may resolve to ::1 first). */
export function linkPath(link: string): string {
  const url = new URL(link);
  return `${url.pathname}${url.search}`;
}

export function linkSecret(link: string): string {
  return new URL(link).searchParams.get('secret') ?? '';
}

/**
 * A call of the respond page's own script: POST JSON `{ secret, ...body }`
 * from the emulator's public origin, without basic auth. `headers` override.
 */
export function respondCall<T = unknown>(
  t: TestEmulator,
  entry: Pick<OutboxEntry, 'tx' | 'link'>,
  action: 'options' | 'response' | 'deny',
  body: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<ApiResponse<T>> {
  return t.request<T>('POST', `/respond/${entry.tx}/${action}`, {
    auth: false,
    body: { secret: linkSecret(entry.link), ...body },
    headers: { Origin: new URL(entry.link).origin, 'Sec-Fetch-Site': 'same-origin', ...headers },
  });
}
