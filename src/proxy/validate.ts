/**
 * Checks of what the browser sends, before anything reaches SendAuth. The
 * field rules and the one form of each value are `field-rules.ts` (the
 * element and the SendAuth client read the same module); the WebAuthn
 * response is rebuilt from its known fields (`api/ceremony-response.ts`).
 * Every refusal is a 400 `invalid-request` that names the field.
 */
import { CeremonyResponseProblem, rebuildCeremonyResponse } from '../api/ceremony-response.js';
import { isPlainObject } from '../api/validate.js';
import {
  EMAIL_MAX_LENGTH,
  isUuid,
  NAME_LENGTH,
  normalizeEmail,
  normalizeName,
  normalizeUsername,
  USERNAME_MAX_LENGTH,
  type FieldProblem,
  type NormalizedField,
} from '../field-rules.js';
import type { CeremonyKind, CeremonyResponse } from '../types.js';
import type { ApproveRequest, AuthenticateRequest, CompleteRequest, SignupRequest, StartMode } from '../wire.js';
import { APPROVAL_MESSAGE_MAX } from './approval-notice.js';
import { ProxyRefusal } from './proxy-refusal.js';
import { MAX_WAIT_SECONDS } from './tx-follower.js';

const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** Deeper than any body of the wire protocol (a WebAuthn response is 3 levels), far below what could exhaust a stack. */
export const MAX_JSON_DEPTH = 16;

function refuse(message: string): never {
  throw new ProxyRefusal('invalid-request', message);
}

function onlyKeys(body: Record<string, unknown>, allowed: readonly string[], what: string): void {
  const extra = Object.keys(body).filter((key) => !allowed.includes(key));
  if (extra.length > 0) refuse(`${what} does not take ${extra.map((k) => `"${k}"`).join(', ')}.`);
}

/** Refuses a parsed JSON value nested deeper than `MAX_JSON_DEPTH` (iteratively: the check itself cannot overflow). */
export function checkJsonDepth(value: unknown): void {
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!;
    if (typeof item !== 'object' || item === null) continue;
    if (depth > MAX_JSON_DEPTH) refuse(`The body is nested more than ${MAX_JSON_DEPTH} levels deep.`);
    for (const child of Object.values(item)) stack.push([child, depth + 1]);
  }
}

const PROBLEMS: Record<FieldProblem, (field: string) => string> = {
  required: (field) => `"${field}" must not be empty.`,
  length: (field) => `"${field}" must be ${NAME_LENGTH.min}–${NAME_LENGTH.max} characters long.`,
  'too-long': (field) => `"${field}" must be at most ${field === 'email' ? EMAIL_MAX_LENGTH : USERNAME_MAX_LENGTH} characters long.`,
  'not-text': (field) => `"${field}" holds characters that are not text (a control character or an unpaired surrogate).`,
  'not-an-email': (field) => `"${field}" must be an email address.`,
  'email-local-part': (field) =>
    `"${field}" cannot be stored: SendAuth takes only ASCII letters, digits and . ! # $ % & ' * + / = ? ^ _ \` { | } ~ - before the @.`,
};

/** The field's one form; a string with a problem is refused with the field's name. */
function field(value: unknown, name: string, normalize: (raw: string) => NormalizedField): string {
  if (typeof value !== 'string') refuse(`"${name}" must be a string.`);
  const { value: normalized, problem } = normalize(value);
  if (problem) refuse(PROBLEMS[problem](name));
  return normalized;
}

export function checkTxId(value: string): string {
  if (!isUuid(value)) refuse('The transaction id must be a UUID.');
  return value.toLowerCase();
}

/** A start's optional `mode`: absent, or `"approval"`. */
function checkMode(body: Record<string, unknown>): StartMode {
  if (body.mode === undefined) return {};
  if (body.mode !== 'approval') refuse('"mode" must be "approval" when given.');
  return { mode: 'approval' };
}

/** `{ username }` (an email in its one form, or a username; 1–256 characters) or `{ userId }` (a UUID), and an optional `mode`. */
export function checkAuthenticateRequest(body: unknown): AuthenticateRequest {
  if (!isPlainObject(body)) refuse('The body must be a JSON object with "username" or "userId".');
  onlyKeys(body, ['username', 'userId', 'mode'], 'authenticate');
  const { username, userId } = body;
  const mode = checkMode(body);
  if (username !== undefined && userId !== undefined) refuse('Send either "username" or "userId", not both.');
  if (username === undefined && userId === undefined) refuse('Send "username" (what the visitor typed) or "userId".');
  if (userId !== undefined) {
    if (!isUuid(userId)) refuse('"userId" must be a UUID.');
    return { userId: userId.toLowerCase(), ...mode };
  }
  return { username: field(username, 'username', normalizeUsername), ...mode };
}

/** `register` takes nothing from the browser but the `mode`: the user comes from the site session. */
export function checkRegisterRequest(body: unknown): StartMode {
  if (!isPlainObject(body)) refuse('The body must be a JSON object ({}).');
  onlyKeys(body, ['mode'], 'register');
  return checkMode(body);
}

/** `approve`: `{ message }`, 1–512 characters (it goes into the WebTX message with the site, browser and code). */
export function checkApproveRequest(body: unknown): ApproveRequest {
  if (!isPlainObject(body)) refuse('The body must be a JSON object with "message".');
  onlyKeys(body, ['message'], 'approve');
  const { message } = body;
  if (typeof message !== 'string' || message.trim() === '') refuse('"message" must be a non-empty string.');
  if ([...message].length > APPROVAL_MESSAGE_MAX) refuse(`"message" must be at most ${APPROVAL_MESSAGE_MAX} characters.`);
  return { message };
}

/** `complete` and `cancel`: `{ proof }`, the secret the start gave the browser (base64url). */
export function checkProofRequest(body: unknown, what: 'complete' | 'cancel'): CompleteRequest {
  if (!isPlainObject(body)) refuse('The body must be a JSON object with "proof".');
  onlyKeys(body, ['proof'], what);
  const { proof } = body;
  if (typeof proof !== 'string' || proof.length === 0 || proof.length > 128 || !BASE64URL.test(proof)) {
    refuse('"proof" must be the proof the start answered.');
  }
  return { proof };
}

/** `?wait=N`: whole seconds from 0 to 30; `undefined` when absent. */
export function checkWait(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,2}$/.test(value) || Number(value) > MAX_WAIT_SECONDS) refuse(`"wait" must be whole seconds from 0 to ${MAX_WAIT_SECONDS}.`);
  return Number(value);
}

/** `{ email, firstName, lastName }` in their one form, with the spec's limits; nothing else (no role, no permissions). */
export function checkSignupRequest(body: unknown): SignupRequest {
  if (!isPlainObject(body)) refuse('The body must be a JSON object with "email", "firstName" and "lastName".');
  onlyKeys(body, ['email', 'firstName', 'lastName', 'mode'], 'signup');
  return {
    email: field(body.email, 'email', normalizeEmail),
    firstName: field(body.firstName, 'firstName', normalizeName),
    lastName: field(body.lastName, 'lastName', normalizeName),
    ...checkMode(body),
  };
}

/**
 * The WebAuthn response JSON for the kind the transaction was created for,
 * rebuilt from its known fields. A response of the other kind is refused: a
 * TX started for sign-in cannot be used to enrol a passkey, and the other way round. Without a
 * `kind`, either kind is rebuilt (as the body's fields say it is).
 */
export function checkCeremonyResponse(body: unknown, kind: CeremonyKind | undefined): CeremonyResponse {
  try {
    return rebuildCeremonyResponse(body, kind);
  } catch (error) {
    if (error instanceof CeremonyResponseProblem) refuse(`${error.message[0]!.toUpperCase()}${error.message.slice(1)}.`);
    throw error;
  }
}
