/**
 * Checks of what the browser sends, before anything reaches SendAuth. Every
 * refusal is a 400 `invalid-request` that names the field.
 */
import { isPlainObject } from '../api/validate.js';
import { EMAIL_MAX_LENGTH, EMAIL_PATTERN, isUuid, NAME_LENGTH, type CeremonyKind, type CeremonyResponse } from '../types.js';
import type { AuthenticateRequest, SignupRequest } from '../wire.js';
import { ProxyRefusal } from './proxy-refusal.js';

const BASE64URL = /^[A-Za-z0-9_-]*={0,2}$/;

function refuse(message: string): never {
  throw new ProxyRefusal('invalid-request', message);
}

function codePoints(value: string): number {
  return [...value].length;
}

function onlyKeys(body: Record<string, unknown>, allowed: readonly string[], what: string): void {
  const extra = Object.keys(body).filter((key) => !allowed.includes(key));
  if (extra.length > 0) refuse(`${what} does not take ${extra.map((k) => `"${k}"`).join(', ')}.`);
}

export function checkTxId(value: string): string {
  if (!isUuid(value)) refuse('The transaction id must be a UUID.');
  return value.toLowerCase();
}

/** `{ username }` (an email or username, 1–256 characters) or `{ userId }` (a UUID). */
export function checkAuthenticateRequest(body: unknown): AuthenticateRequest {
  if (!isPlainObject(body)) refuse('The body must be a JSON object with "username" or "userId".');
  onlyKeys(body, ['username', 'userId'], 'authenticate');
  const { username, userId } = body;
  if (username !== undefined && userId !== undefined) refuse('Send either "username" or "userId", not both.');
  if (userId !== undefined) {
    if (!isUuid(userId)) refuse('"userId" must be a UUID.');
    return { userId: userId.toLowerCase() };
  }
  if (typeof username !== 'string') refuse('"username" must be a string.');
  const trimmed = username.trim();
  if (trimmed.length === 0) refuse('"username" must not be empty.');
  if (codePoints(trimmed) > 256) refuse('"username" must be at most 256 characters.');
  return { username: trimmed };
}

/** `register` takes nothing from the browser: the user comes from the site session. */
export function checkRegisterRequest(body: unknown): void {
  if (!isPlainObject(body)) refuse('The body must be a JSON object ({}).');
  onlyKeys(body, [], 'register');
}

/** `{ email, firstName, lastName }`, with the spec's limits; nothing else (no role, no permissions). */
export function checkSignupRequest(body: unknown): SignupRequest {
  if (!isPlainObject(body)) refuse('The body must be a JSON object with "email", "firstName" and "lastName".');
  onlyKeys(body, ['email', 'firstName', 'lastName'], 'signup');
  const name = (field: 'firstName' | 'lastName'): string => {
    const value = body[field];
    if (typeof value !== 'string') refuse(`"${field}" must be a string.`);
    const trimmed = value.trim();
    const n = codePoints(trimmed);
    if (n < NAME_LENGTH.min || n > NAME_LENGTH.max) refuse(`"${field}" must be ${NAME_LENGTH.min}–${NAME_LENGTH.max} characters long.`);
    return trimmed;
  };
  const { email } = body;
  if (typeof email !== 'string') refuse('"email" must be a string.');
  const trimmedEmail = email.trim();
  if (codePoints(trimmedEmail) > EMAIL_MAX_LENGTH || !EMAIL_PATTERN.test(trimmedEmail)) refuse('"email" must be an email address.');
  return { email: trimmedEmail, firstName: name('firstName'), lastName: name('lastName') };
}

function checkBase64url(container: Record<string, unknown>, field: string, where: string, optional = false): void {
  const value = container[field];
  if (optional && (value === undefined || value === null)) return;
  if (typeof value !== 'string' || value.length === 0 || !BASE64URL.test(value)) {
    refuse(`"${where}${field}" must be a base64url string.`);
  }
}

/**
 * The WebAuthn response JSON (`RegistrationResponseJSON` /
 * `AuthenticationResponseJSON`) for the kind the transaction was created
 * for. A response of the other kind is refused here: a TX started for
 * sign-in cannot be used to enrol a passkey, and the other way round.
 */
export function checkCeremonyResponse(body: unknown, kind: CeremonyKind): CeremonyResponse {
  if (!isPlainObject(body)) refuse('The body must be the WebAuthn response JSON.');
  checkBase64url(body, 'id', '');
  checkBase64url(body, 'rawId', '');
  if (body.type !== 'public-key') refuse('"type" must be "public-key".');
  const { response } = body;
  if (!isPlainObject(response)) refuse('"response" must be an object.');
  checkBase64url(response, 'clientDataJSON', 'response.');
  const isRegistration = 'attestationObject' in response;
  if (kind === 'registration') {
    if (!isRegistration) refuse('This transaction enrols a passkey; send a registration response.');
    checkBase64url(response, 'attestationObject', 'response.');
  } else {
    if (isRegistration) refuse('This transaction signs in; send an authentication response.');
    checkBase64url(response, 'authenticatorData', 'response.');
    checkBase64url(response, 'signature', 'response.');
    checkBase64url(response, 'userHandle', 'response.', true);
  }
  if (body.clientExtensionResults !== undefined && !isPlainObject(body.clientExtensionResults)) {
    refuse('"clientExtensionResults" must be an object.');
  }
  // Shape checked above; SendAuth verifies the content.
  return body as unknown as CeremonyResponse;
}
