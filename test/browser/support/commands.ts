/**
 * Browser-side helpers for tests: the virtual authenticator, emulator users,
 * the test-only site session and the emulator's clock. Each wraps a server
 * command answered by `webauthn-plugin.ts` or `sendauth-stack-plugin.ts`.
 */
import { executeServerCommand } from '@web/test-runner-commands';
import type { User } from '../../../src/types.js';
import {
  ENDPOINTS,
  LIMITED_WINDOW_MS,
  SESSION_COOKIE,
  type AddAuthenticatorPayload,
  type AddAuthenticatorResult,
  type CreateUserPayload,
  type CreatedUser,
  type DrivenPageCommand,
  type StackInfo,
  type VerifiedEventRecord,
  type VirtualCredential,
} from './protocol.js';

export { ENDPOINTS, LIMITED_WINDOW_MS, SESSION_COOKIE };
export type { AddAuthenticatorPayload, CreateUserPayload, CreatedUser, StackInfo, VerifiedEventRecord, VirtualCredential };

// ─── The virtual authenticator (Chromium over CDP, Firefox over Marionette) ──
// None in WebKitGTK: a test that needs one skips there first (`needs('webauthn', …)`, engine.ts).

/** Adds a virtual platform authenticator (CTAP2, internal, resident keys, UV) to this page, replacing any earlier one. */
export function addAuthenticator(options: AddAuthenticatorPayload = {}): Promise<AddAuthenticatorResult> {
  return executeServerCommand<AddAuthenticatorResult, AddAuthenticatorPayload>('webauthn:add-authenticator', options);
}

/** `false`: the next ceremony fails at once with NotAllowedError (user verification refused). */
export async function setUserVerified(value: boolean): Promise<void> {
  await executeServerCommand<unknown, { value: boolean }>('webauthn:set-user-verified', { value });
}

/**
 * Removes this page's virtual authenticator: ceremonies then wait until aborted or `options.timeout`
 * ends them (Firefox waits for a security key, and at least 15 s). One already waiting in Firefox
 * does not see an authenticator added later; in Chromium it does.
 */
export async function removeAuthenticator(): Promise<void> {
  await executeServerCommand<unknown, undefined>('webauthn:remove-authenticator');
}

/** The credentials on this page's virtual authenticator. */
export function authenticatorCredentials(): Promise<VirtualCredential[]> {
  return executeServerCommand<VirtualCredential[], undefined>('webauthn:credentials');
}

// ─── The emulator (SendAuth) ───────────────────────────────────────────────

/** Creates a SendAuth user in the emulator; a random email unless given. */
export function createUser(options: CreateUserPayload = {}): Promise<CreatedUser> {
  return executeServerCommand<CreatedUser, CreateUserPayload>('sendauth:create-user', options);
}

/** The emulator's user, e.g. to assert `hasPasskeys`. */
export function getUser(userId: string): Promise<User> {
  return executeServerCommand<User, { userId: string }>('sendauth:user', { userId });
}

/** Moves the emulator's clock forward (e.g. 5 minutes + 1 s to expire a pending TX). */
export async function advanceClock(ms: number): Promise<void> {
  await executeServerCommand<unknown, { ms: number }>('sendauth:advance-clock', { ms });
}

/** Puts the emulator's clock back to real time. Call it in `afterEach` after `advanceClock`. */
export async function resetClock(): Promise<void> {
  await executeServerCommand<unknown, undefined>('sendauth:reset-clock');
}

/** A fresh counter for `ENDPOINTS.limited` (one ceremony start per user per window): its next start passes, the one after answers 429. */
export async function resetRateLimit(): Promise<void> {
  await executeServerCommand<unknown, undefined>('sendauth:reset-rate-limit');
}

/** What the test proxies' `onVerified` saw, optionally only for one TX. */
export function verifiedEvents(tx?: string): Promise<VerifiedEventRecord[]> {
  return executeServerCommand<VerifiedEventRecord[], { tx?: string }>('sendauth:verified-events', tx === undefined ? {} : { tx });
}

/** The endpoints mounted and an endpoint on a closed port (for `network`). */
export function stackInfo(): Promise<StackInfo> {
  return executeServerCommand<StackInfo, undefined>('sendauth:info');
}

// ─── The test-only site session ────────────────────────────────────────────

/** Signs the page in as a SendAuth user, as a site's session would: the proxies' `getSessionUserId` reads this cookie. */
export function signInAs(userId: string): void {
  document.cookie = `${SESSION_COOKIE}=${encodeURIComponent(userId)}; path=/; SameSite=Strict`;
}

/** Ends the test session (pages are reused across test files: call it in `beforeEach`/`afterEach`). */
export function signOut(): void {
  document.cookie = `${SESSION_COOKIE}=; path=/; max-age=0; SameSite=Strict`;
}

/** The signed-in user id, e.g. after a verified sign-in (the proxies' `onVerified` sets the cookie). */
export function sessionUserId(): string | undefined {
  for (const pair of document.cookie.split(';')) {
    const [name, ...value] = pair.trim().split('=');
    if (name === SESSION_COOKIE) return decodeURIComponent(value.join('=')) || undefined;
  }
  return undefined;
}

// ─── Convenience ───────────────────────────────────────────────────────────

/** A fresh user, signed in, with a virtual authenticator on the page: ready for `<sendauth-register>`. */
export async function signedInUserWithAuthenticator(options: CreateUserPayload = {}): Promise<CreatedUser> {
  await addAuthenticator();
  const user = await createUser(options);
  signInAs(user.userId);
  return user;
}

// ─── A second page, driven from outside (Chrome: page-plugin.ts) ───────────

/**
 * A top-level page in its own browser context that the test drives: it can
 * leave and come back (the back/forward cache), which the test page itself
 * cannot. `run` takes the body of an async function, run in that page.
 */
export interface DrivenPage {
  goto(url: string): Promise<void>;
  back(): Promise<void>;
  run<T>(script: string): Promise<T>;
  close(): Promise<void>;
}

export async function openDrivenPage(options: { authenticator?: boolean } = {}): Promise<DrivenPage> {
  const { id } = await executeServerCommand<{ id: string }, DrivenPageCommand>('page:open', options);
  return {
    goto: async (url) => void (await executeServerCommand<unknown, DrivenPageCommand>('page:goto', { id, url })),
    back: async () => void (await executeServerCommand<unknown, DrivenPageCommand>('page:back', { id })),
    run: async <T>(script: string) => (await executeServerCommand<{ value: T }, DrivenPageCommand>('page:eval', { id, script })).value,
    close: async () => void (await executeServerCommand<unknown, DrivenPageCommand>('page:close', { id })),
  };
}

/**
 * Forced colours (Windows High Contrast) on this test page, or back to normal: emulated in Chrome,
 * Firefox's own mode in Firefox. Resolves once the page sees it (Firefox applies a preference a
 * moment later), or after 10 s (a moment, unless the machine is loaded), leaving the test's own
 * check to say what the page sees.
 */
export async function emulateForcedColors(active: boolean): Promise<void> {
  await executeServerCommand<unknown, DrivenPageCommand>('page:forced-colors', { forcedColors: active });
  const forced = matchMedia('(forced-colors: active)');
  const deadline = Date.now() + 10_000;
  while (forced.matches !== active && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
}

/** `markup` rendered in Node with `@lit-labs/ssr` (declarative shadow DOM), as a site's server would. */
export async function renderOnServer(markup: string): Promise<string> {
  return (await executeServerCommand<{ html: string }, { markup: string }>('sendauth:ssr-render', { markup })).html;
}
