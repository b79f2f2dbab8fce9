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
  complete: { method: 'POST', path: 'tx/:tx/complete', ok: 200 },
  approve: { method: 'POST', path: 'approve', ok: 201 },
  me: { method: 'GET', path: 'me', ok: 200 },
  removePasskey: { method: 'DELETE', path: 'me/passkey', ok: 200 },
} as const satisfies Record<string, WireEndpoint>;

export type WireName = keyof typeof WIRE;

/** Each endpoint's request body (`undefined`: none) and 2xx answer. */
export interface WireTypes {
  /** Starts an authentication TX for a username (email) or a SendAuth user id. */
  authenticate: { body: AuthenticateRequest; answer: StartAnswer };
  /** Starts a registration TX for the site's signed-in user (`getSessionUserId`). */
  register: { body: RegisterRequest; answer: StartAnswer };
  /** Creates a user and starts a registration TX for them (only with `allowSignup`). */
  signup: { body: SignupRequest; answer: StartAnswer };
  /** Hands the WebAuthn response to the proxy, which has SendAuth verify it. */
  verify: { body: VerifyRequest; answer: VerifyResult };
  /** The TX's state at SendAuth; with `?wait=N` (seconds, ≤ 30) once it is no longer `pending` or after N seconds. */
  status: { body: undefined; answer: TxStateResult };
  /** Cancels the TX at SendAuth, for the browser that started it (its `proof`). */
  cancel: { body: CancelRequest; answer: TxStateResult };
  /** Completes an approval-mode TX SendAuth says is `verified`, for the browser that started it (its `proof`). */
  complete: { body: CompleteRequest; answer: CompleteResult };
  /** Starts a step-up approval of `message` for the site's signed-in user. */
  approve: { body: ApproveRequest; answer: ApprovalStart };
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

/**
 * What a start may add: `mode: "approval"` asks for approval on the user's own device (SendAuth
 * notifies them) instead of the in-browser ceremony, for a visitor whose passkey is elsewhere.
 */
export interface StartMode {
  mode?: 'approval';
}

/** `authenticate`'s body. */
export type AuthenticateRequest = ({ username: string } | { userId: string }) & StartMode;

/** `register`'s body: nothing but the mode; the user comes from the site session. */
export type RegisterRequest = StartMode;

/** `signup`'s body. */
export interface SignupRequest extends StartMode {
  email: string;
  firstName: string;
  lastName: string;
}

/**
 * 201 answer of `authenticate`, `register`, `signup`: the TX and, in one round trip, either its
 * WebAuthn options (`CeremonyStart`, `mode: "webauthn"`: the in-browser ceremony, then `verify`) or
 * what the waiting browser shows (`ApprovalStart`, `mode: "approval"`: the user approves on their
 * own device; follow with `status?wait=N`, then `complete`).
 */
export type StartAnswer = CeremonyStart | (ApprovalStart & { kind: CeremonyKind });

/**
 * A start in `mode: "webauthn"`: the TX, its WebAuthn options, and the starting browser's `proof`
 * (256 bits, base64url), which `cancel` requires.
 */
export type CeremonyStart =
  | { tx: string; kind: 'registration'; mode: 'webauthn'; options: PublicKeyCredentialCreationOptionsJSON; proof: string }
  | { tx: string; kind: 'authentication'; mode: 'webauthn'; options: PublicKeyCredentialRequestOptionsJSON; proof: string };

/**
 * A TX the user approves on their own device (`mode: "approval"`): SendAuth has notified them.
 * `kind` is `approval` for a step-up (`approve`).
 */
export interface ApprovalStart {
  tx: string;
  kind: CeremonyKind | 'approval';
  mode: 'approval';
  /** When the TX expires (ISO 8601); the element counts down to it. */
  expiresAt: string;
  /** Two digits the element shows; the notification of an authentication or step-up TX shows them too (against push fatigue). */
  code: string;
  /** Where SendAuth sent the notification, masked (`a•••@example.com`, `•••• 67`); empty when unknown. */
  sentTo: string[];
  /** The starting browser's secret (256 bits, base64url): `complete` and `cancel` require it, so a TX id alone completes or cancels nothing. */
  proof: string;
}

/** `complete`'s body. */
export interface CompleteRequest {
  proof: string;
}

/** `cancel`'s body: the start's `proof` (a TX id alone cancels nothing). */
export interface CancelRequest {
  proof: string;
}

/** 200 answer of `complete`; `approval` for a step-up (no session opened: the site confirms with `confirmApproval`). */
export interface CompleteResult {
  state: 'verified';
  kind: CeremonyKind | 'approval';
  userId: string;
}

/** `approve`'s body: what the user approves, as the site will confirm it (1–512 characters). */
export interface ApproveRequest {
  message: string;
}

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
