/**
 * Names, payloads and results of the server commands that the WTR plugins in
 * this folder answer and `commands.ts` calls. Types only, so the browser side
 * and the Node side can both import it.
 */

/** The test-only site session: the proxy's `getSessionUserId` reads this cookie. */
export const SESSION_COOKIE = 'sendauth-test-user';

/** Proxies the test server mounts (see `sendauth-stack-plugin.ts`). */
export const ENDPOINTS = {
  /** Signup allowed, a rate limit no test reaches. */
  main: '/sendauth',
  /** `rateLimit: { limit: 1, windowMs: LIMITED_WINDOW_MS }`: a user's second ceremony start in the window answers 429. */
  limited: '/limited',
  /** Signup not allowed (`POST /nosignup/signup` answers 404). */
  noSignup: '/nosignup',
  /** Its SendAuth is a closed port: every call that reaches SendAuth answers `upstream`. */
  down: '/down',
} as const;

/** The per-user window of `ENDPOINTS.limited`, in ms: its 429s say to wait at most this long. */
export const LIMITED_WINDOW_MS = 6_000;

/** Proxies on the approval stack's emulator, which serves only SendAuth's public spec (`approval-stack-plugin.ts`). */
export const APPROVAL_ENDPOINTS = {
  /** `ceremony: "approval"`: the assumed ceremony endpoints are never called. */
  approval: '/approval',
  /** `ceremony: "auto"`: one GET of the options, then approval. */
  auto: '/auto',
} as const;

/** The person answers a TX's notification on their other device. */
export interface RespondPayload {
  tx: string;
  action: 'approve' | 'deny';
  /** Which device (browser context with its own authenticator). @default 'phone' */
  device?: string;
}

/** `proxy.confirmApproval` of one approval proxy. */
export interface ConfirmPayload {
  endpoint: string;
  tx: string;
  userId: string;
  message: string;
}

export interface AddAuthenticatorPayload {
  /** Whether user verification succeeds (fingerprint/PIN accepted). @default true */
  isUserVerified?: boolean;
  /** Whether the authenticator can verify the user at all. @default true */
  hasUserVerification?: boolean;
  /** Whether it can store discoverable credentials. @default true */
  hasResidentKey?: boolean;
}
export interface AddAuthenticatorResult {
  authenticatorId: string;
}

export interface SetUserVerifiedPayload {
  value: boolean;
}

/** A credential on the virtual authenticator (CDP `WebAuthn.Credential`; Firefox's converted to it), binary fields base64. */
export interface VirtualCredential {
  credentialId: string;
  isResidentCredential: boolean;
  rpId?: string;
  /** base64 (not base64url) of the user handle, when resident. */
  userHandle?: string;
  signCount: number;
}

export interface CreateUserPayload {
  email?: string;
  firstName?: string;
  lastName?: string;
}
export interface CreatedUser {
  userId: string;
  email: string;
  firstName: string;
  lastName: string;
}

/** What `onVerified` of a test proxy saw (the Request left out). */
export interface VerifiedEventRecord {
  endpoint: string;
  userId: string;
  kind: 'registration' | 'authentication';
  tx: string;
}

export interface StackInfo {
  /** A URL on this machine where nothing listens: a proxy endpoint no request reaches. */
  unreachableEndpoint: string;
  endpoints: typeof ENDPOINTS;
  rpId: string;
}

// ─── The engine a test runs in (`engine-plugin.ts`) ───────────────────────

/** An engine the suite runs in. */
export type EngineName = 'chromium' | 'firefox' | 'webkit';

/** What the engine's driver can do for a test; the page itself says whether it has WebAuthn. */
export interface EngineInfo {
  engine: EngineName;
  /** The name WTR shows for this launcher's results, e.g. "Firefox", "WebKit (dark)". */
  label: string;
  /** How `webauthn:*` commands reach a virtual authenticator: Chrome's CDP, Firefox's Marionette, or not at all. */
  virtualAuthenticator: 'cdp' | 'marionette' | 'none';
  /** `emulated`: `engine:color-scheme` switches it at run time; otherwise the scheme the browser was started in. */
  colorScheme: 'emulated' | 'light' | 'dark';
}

export interface ColorSchemePayload {
  colorScheme: 'light' | 'dark';
}

/** Tests skipped in this engine, each by its title path (suite titles, then the test's). */
export interface SkippedPayload {
  tests: string[][];
  /** The engine feature that is missing, named as the run's summary shows it. */
  reason: string;
}

/** Payload of the `page:*` commands (`page-plugin.ts`): a top-level page the test drives from outside. */
export interface DrivenPageCommand {
  /** The driven page (from `page:open`). */
  id?: string;
  /** `page:goto`: a path on the test server, or a URL. */
  url?: string;
  /** `page:eval`: the body of an async function, run in the page; what it returns comes back. */
  script?: string;
  /** `page:open`: give the page a virtual authenticator of its own. */
  authenticator?: boolean;
  /** `page:forced-colors`: emulate forced colours on the test page (or stop). */
  forcedColors?: boolean;
}
