/**
 * The element ↔ proxy wire protocol (DESIGN.md), declared once: every
 * endpoint's method, path and success status in `WIRE`, its request body and
 * answer in `WireTypes`. The proxy registers its routes and its 405 `Allow`
 * answers from `WIRE`; `ProxyClient` has one method per entry (the compiler
 * holds it to `WireClient`). A new endpoint is a line in each table here,
 * its route in `proxy/routes/`, and its `ProxyClient` method.
 *
 * JSON both ways. Paths are relative to where the site mounted the proxy
 * (`/sendauth` by default); `:tx` is the transaction id. Every non-2xx answer
 * is an `ErrorBody`.
 */
import type { ErrorCode } from './error-codes.js';
import type {
  CeremonyKind,
  CeremonyResponse,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  TransactionState,
} from './types.js';

export type WireMethod = 'GET' | 'POST' | 'DELETE';

export interface WireEndpoint {
  method: WireMethod;
  /** Relative to the proxy's mount point; `:tx` stands for a transaction id. */
  path: string;
  /** The status of a successful answer. */
  ok: 200 | 201;
}

export const WIRE = {
  authenticate: { method: 'POST', path: 'authenticate', ok: 201 },
  register: { method: 'POST', path: 'register', ok: 201 },
  signup: { method: 'POST', path: 'signup', ok: 201 },
  verify: { method: 'POST', path: 'tx/:tx/verify', ok: 200 },
  status: { method: 'GET', path: 'tx/:tx', ok: 200 },
  cancel: { method: 'DELETE', path: 'tx/:tx', ok: 200 },
  me: { method: 'GET', path: 'me', ok: 200 },
  removePasskey: { method: 'DELETE', path: 'me/passkey', ok: 200 },
} as const satisfies Record<string, WireEndpoint>;

export type WireName = keyof typeof WIRE;

/** Each endpoint's request body (`undefined`: none) and 2xx answer. */
export interface WireTypes {
  /** Starts an authentication TX for a username (email) or a SendAuth user id. */
  authenticate: { body: AuthenticateRequest; answer: CeremonyStart };
  /** Starts a registration TX for the site's signed-in user (`getSessionUserId`). */
  register: { body: RegisterRequest; answer: CeremonyStart };
  /** Creates a user and starts a registration TX for them (only with `allowSignup`). */
  signup: { body: SignupRequest; answer: CeremonyStart };
  /** Hands the WebAuthn response to the proxy, which has SendAuth verify it. */
  verify: { body: VerifyRequest; answer: VerifyResult };
  /** The TX's state at SendAuth. */
  status: { body: undefined; answer: TxStateResult };
  /** Cancels the TX at SendAuth. */
  cancel: { body: undefined; answer: TxStateResult };
  /** The signed-in user. */
  me: { body: undefined; answer: MeResult };
  /** Removes the signed-in user's passkeys. */
  removePasskey: { body: undefined; answer: RemovePasskeyResult };
}

/** The path parameters an endpoint's path names (`{ tx }` for `tx/:tx…`). */
export type WireParams<K extends WireName> = (typeof WIRE)[K]['path'] extends `${string}:tx${string}` ? { tx: string } : undefined;

/** What a client of the whole protocol offers: one method per endpoint. */
export type WireClient = {
  [K in WireName]: (...args: never[]) => Promise<WireTypes[K]['answer']>;
};

/** `WIRE[name].path` with its parameters filled in (each URI-encoded). */
export function wirePath<K extends WireName>(name: K, params?: WireParams<K>): string {
  return WIRE[name].path.replace(':tx', encodeURIComponent((params as { tx?: string } | undefined)?.tx ?? ''));
}

// ─── Bodies and answers ─────────────────────────────────────────────────────

/** Every non-2xx answer of the proxy. (The emulator, like SendAuth, answers `SendAuthErrorBody`.) */
export interface ErrorBody {
  error: { code: ErrorCode; message: string };
}

/** `authenticate`'s body. */
export type AuthenticateRequest = { username: string } | { userId: string };

/** `register`'s body: nothing; the user comes from the site session. */
export type RegisterRequest = Record<string, never>;

/** `signup`'s body. */
export interface SignupRequest {
  email: string;
  firstName: string;
  lastName: string;
}

/** 201 answer of `authenticate`, `register`, `signup`: the TX and its options, in one round trip. */
export type CeremonyStart =
  | { tx: string; kind: 'registration'; options: PublicKeyCredentialCreationOptionsJSON }
  | { tx: string; kind: 'authentication'; options: PublicKeyCredentialRequestOptionsJSON };

/** `verify`'s body: the WebAuthn response JSON. */
export type VerifyRequest = CeremonyResponse;

/** 200 answer of `verify`. */
export interface VerifyResult {
  state: 'verified';
  kind: CeremonyKind;
  userId: string;
}

/** 200 answer of `status` and `cancel`. */
export interface TxStateResult {
  state: TransactionState;
}

/** 200 answer of `me`. */
export interface MeResult {
  userId: string;
  email?: string;
  firstName: string;
  lastName: string;
  hasPasskeys: boolean;
}

/** 200 answer of `removePasskey`. */
export interface RemovePasskeyResult {
  hasPasskeys: false;
}
