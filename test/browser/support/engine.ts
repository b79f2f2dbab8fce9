/**
 * The engine a browser test runs in, and the one way a test may not run in
 * it: skipped for a named missing engine feature, which the run's summary
 * lists per engine (`engine-plugin.ts`). A failure in one engine only is a
 * bug to fix, not a reason to skip.
 *
 *   it('signs in', needs('webauthn', async () => { … }));        // one test
 *   before(function () { return skipUnless(this, 'webauthn'); }); // a whole describe
 *
 * Features:
 * - `webauthn`: WebAuthn with a virtual authenticator (Chromium over CDP,
 *   Firefox over Marionette; WebKitGTK has no WebAuthn at all). An engine
 *   whose driver should have one but whose page lacks WebAuthn fails the
 *   test instead: a broken set-up must not pass as a skip.
 * - `pending-webauthn`: a second WebAuthn request refused because the
 *   page's first is still pending (Chromium's "A request is already
 *   pending."); Firefox refuses none: its second request goes on waiting.
 * - `driven-page`: a second top-level page driven from outside
 *   (`page-plugin.ts`: leave it, close it, come back through the
 *   back/forward cache): puppeteer over CDP (Chromium) or WebDriver BiDi
 *   (Firefox); not through WebKitWebDriver here.
 * - `bfcache`: that driven page restored from the back/forward cache
 *   (Chromium; Firefox driven over WebDriver BiDi here never restores one).
 * - `forced-colors`: forced colours (Windows High Contrast) switched on for
 *   the test page: emulated over CDP in Chromium, Firefox's own mode (a
 *   preference) in Firefox; WebKitWebDriver can do neither.
 */
import { executeServerCommand } from '@web/test-runner-commands';
import type { ColorSchemePayload, EngineInfo, SkippedPayload } from './protocol.js';

export type { EngineInfo };

/** The engine this page runs in, and what its driver can do. */
export const engine: EngineInfo = await executeServerCommand<EngineInfo, undefined>('engine:info');

export type EngineFeature = 'webauthn' | 'driven-page' | 'bfcache' | 'pending-webauthn' | 'forced-colors';

/** Why this engine lacks `feature`, or `undefined` when it has it. */
export function missingFeature(feature: EngineFeature): string | undefined {
  switch (feature) {
    case 'webauthn': {
      const inPage = typeof window.PublicKeyCredential === 'function' && typeof navigator.credentials?.create === 'function';
      if (engine.virtualAuthenticator === 'none') {
        return inPage ? `${engine.label}'s driver has no virtual authenticator` : `${engine.label} has no WebAuthn (PublicKeyCredential is undefined)`;
      }
      if (!inPage) throw new Error(`${engine.label} should have WebAuthn here, but PublicKeyCredential is undefined (not a secure context?)`);
      return undefined;
    }
    case 'pending-webauthn':
      return missingFeature('webauthn') ?? (engine.engine === 'chromium' ? undefined : `${engine.label} refuses no WebAuthn request for another one pending (tried: the element's request goes on waiting), so there is no such error to map`);
    case 'driven-page':
      return engine.virtualAuthenticator === 'none' ? `${engine.label}'s driver cannot drive a second page here (WebKitWebDriver)` : undefined;
    case 'bfcache':
      return (
        missingFeature('driven-page') ??
        (engine.engine === 'chromium' ? undefined : `${engine.label} driven over WebDriver BiDi never restores a page from the back/forward cache (pageshow.persisted stays false)`)
      );
    case 'forced-colors':
      return engine.virtualAuthenticator === 'none' ? `${engine.label}'s driver cannot switch forced colours on (no DevTools protocol, no preferences)` : undefined;
  }
}

/** Every test under `suite`, by title path. */
function testsUnder(suite: Mocha.Suite): string[][] {
  return [...suite.tests.map((test) => test.titlePath()), ...suite.suites.flatMap(testsUnder)];
}

/** The tests a `this.skip()` from this context skips: the test itself, or (from `before`) its whole suite. */
function skippedBy(context: Mocha.Context): string[][] {
  const runnable = context.test;
  if (!runnable) throw new Error('skipUnless: call it with the `this` of a test or hook');
  if (runnable.type === 'test') return [runnable.titlePath()];
  if (runnable.title.startsWith('"before all" hook')) return runnable.parent ? testsUnder(runnable.parent) : [];
  if (context.currentTest) return [context.currentTest.titlePath()];
  throw new Error(`skipUnless: cannot skip from ${runnable.title}`);
}

/** Skips what `context` runs (see `skippedBy`), recording `reason` for the run's summary. */
export async function skipFor(context: Mocha.Context, reason: string): Promise<never> {
  await executeServerCommand<unknown, SkippedPayload>('engine:skipped', { tests: skippedBy(context), reason });
  return context.skip();
}

/**
 * Skips the calling test (from `it` or `beforeEach`) or the whole suite (from
 * `before`) unless this engine has `feature`; the missing feature is the
 * reason the summary shows.
 */
export async function skipUnless(context: Mocha.Context, feature: EngineFeature): Promise<void> {
  const reason = missingFeature(feature);
  if (reason) await skipFor(context, reason);
}

/** A test body that runs only where the engine has `feature` (else it is skipped, with the reason). */
export function needs(feature: EngineFeature, test: (this: Mocha.Context) => unknown): Mocha.Callback {
  return async function (this: Mocha.Context) {
    await skipUnless(this, feature);
    return await test.call(this);
  };
}

/**
 * Makes pages see `colorScheme` as `prefers-color-scheme`: switched at run
 * time where the driver can (Chromium, Firefox); a browser started in a
 * fixed scheme (WebKit, WebKit (dark)) runs only the suite for its own and
 * skips the other, saying so. Call it from `before` with the suite's `this`.
 */
export async function useColorScheme(context: Mocha.Context, colorScheme: 'light' | 'dark'): Promise<void> {
  if (engine.colorScheme === 'emulated') {
    await executeServerCommand<unknown, ColorSchemePayload>('engine:color-scheme', { colorScheme });
  } else if (engine.colorScheme !== colorScheme) {
    await skipFor(
      context,
      `${engine.label} cannot switch prefers-color-scheme (WebKitWebDriver has no media emulation): it runs ${engine.colorScheme}, another WebKit runs ${colorScheme}`,
    );
  }
  // Firefox applies a changed preference to its pages a moment later (its style system's next
  // refresh), so wait for the page to see it: up to ten seconds (a moment, unless the machine is
  // loaded), then say what it sees.
  const dark = matchMedia('(prefers-color-scheme: dark)');
  const deadline = Date.now() + 10_000;
  while (dark.matches !== (colorScheme === 'dark') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  const seen = dark.matches ? 'dark' : 'light';
  if (seen !== colorScheme) throw new Error(`${engine.label}: pages see prefers-color-scheme ${seen}, not ${colorScheme}`);
}

/** Back to light where `useColorScheme` switched it (pages, and Firefox's setting, outlive a test file). */
export async function resetColorScheme(): Promise<void> {
  if (engine.colorScheme === 'emulated') await executeServerCommand<unknown, ColorSchemePayload>('engine:color-scheme', { colorScheme: 'light' });
}

/**
 * Makes this page look like an engine without WebAuthn, as WebKitGTK is:
 * `PublicKeyCredential` and `navigator.credentials` undefined. Where the
 * engine really lacks them this changes nothing, so the same test runs
 * against the real absence there. Returns the undo.
 */
export function withoutWebAuthn(): () => void {
  const hidden: (() => void)[] = [];
  if (window.PublicKeyCredential !== undefined) {
    const original = Object.getOwnPropertyDescriptor(window, 'PublicKeyCredential');
    Object.defineProperty(window, 'PublicKeyCredential', { value: undefined, configurable: true, writable: true });
    hidden.push(() => {
      if (original) Object.defineProperty(window, 'PublicKeyCredential', original);
    });
  }
  if ((navigator.credentials as CredentialsContainer | undefined) !== undefined) {
    // An accessor on Navigator.prototype: shadowed on the instance, then unshadowed.
    Object.defineProperty(navigator, 'credentials', { value: undefined, configurable: true });
    hidden.push(() => void delete (navigator as { credentials?: unknown }).credentials);
  }
  return () => {
    for (const undo of hidden.reverse()) undo();
  };
}
