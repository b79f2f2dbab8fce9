/** Steps the emulator tests repeat: a fresh user, a full registration, the options of an authentication TX. */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type {
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  TX,
  User,
} from '../../src/types.js';
import type { TestEmulator } from '../support/emulator-fixture.js';
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
