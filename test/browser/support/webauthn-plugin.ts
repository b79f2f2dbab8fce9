/**
 * WTR plugin: a virtual authenticator for the calling test page, the same
 * commands in every engine that has one — Chromium over CDP
 * (`cdp-authenticator.ts`, one per page), Firefox over Marionette
 * (`marionette-authenticator.ts`, one per browser). Commands `webauthn:*`;
 * payloads and results in `protocol.ts`, typed wrappers in `commands.ts`.
 *
 * In an engine without one (WebKitGTK has no WebAuthn at all) every command
 * fails, naming the engine: a test that needs it must skip there first
 * (`skipUnless(this, 'webauthn')`).
 *
 * WTR reuses pages across test files, so an authenticator outlives the file
 * that added it; `add` always replaces the one there.
 *
 * Node only.
 */
import type { TestRunnerPlugin } from '@web/test-runner';
import type { ChromeLauncher } from '@web/test-runner-chrome';
import type { Browser, Page } from 'puppeteer-core';
import { CdpAuthenticator } from './cdp-authenticator.js';
import { engineOf } from './engines.js';
import { firefoxRemote } from './firefox-launcher.js';
import { MarionetteAuthenticator } from './marionette-authenticator.js';
import type { AddAuthenticatorPayload, AddAuthenticatorResult, SetUserVerifiedPayload, VirtualCredential } from './protocol.js';

/** One engine's way to the virtual authenticator a test page sees. */
export interface VirtualAuthenticator {
  /** Adds a CTAP2 platform authenticator (internal, resident keys, user verification) in place of any earlier one. */
  add(options: AddAuthenticatorPayload): Promise<AddAuthenticatorResult>;
  /** Removes it: ceremonies then wait (for one to appear, or a security key) instead of completing. */
  remove(): Promise<{ removed: boolean }>;
  /** `false`: the next ceremony fails at once with NotAllowedError. */
  setUserVerified(value: boolean): Promise<void>;
  credentials(): Promise<VirtualCredential[]>;
}

export function webAuthnPlugin(): TestRunnerPlugin {
  const byPage = new WeakMap<Page, CdpAuthenticator>();
  const byBrowser = new WeakMap<Browser, MarionetteAuthenticator>();

  function authenticatorFor(launcher: ChromeLauncher, sessionId: string): VirtualAuthenticator {
    const { label, virtualAuthenticator } = engineOf(launcher);
    if (virtualAuthenticator === 'none') throw new Error(`${label} has no virtual authenticator (no WebAuthn): skip the test there with skipUnless(this, 'webauthn')`);
    const page = launcher.getPage(sessionId);
    if (virtualAuthenticator === 'cdp') {
      let authenticator = byPage.get(page);
      if (!authenticator) byPage.set(page, (authenticator = new CdpAuthenticator(page)));
      return authenticator;
    }
    const browser = page.browser();
    let authenticator = byBrowser.get(browser);
    if (!authenticator) byBrowser.set(browser, (authenticator = new MarionetteAuthenticator(firefoxRemote(browser))));
    return authenticator;
  }

  return {
    name: 'sendauth-webauthn',
    async executeCommand({ command, payload, session }) {
      if (!command.startsWith('webauthn:')) return undefined;
      // Both engines with an authenticator run under the Chrome launcher (puppeteer pages).
      const authenticator = authenticatorFor(session.browser as ChromeLauncher, session.id);
      switch (command) {
        case 'webauthn:add-authenticator':
          return await authenticator.add((payload ?? {}) as AddAuthenticatorPayload);
        case 'webauthn:set-user-verified': {
          const { value } = (payload ?? {}) as Partial<SetUserVerifiedPayload>;
          if (typeof value !== 'boolean') throw new Error('webauthn:set-user-verified: payload { value: boolean } expected');
          await authenticator.setUserVerified(value);
          return { isUserVerified: value };
        }
        case 'webauthn:remove-authenticator':
          return await authenticator.remove();
        case 'webauthn:credentials':
          return await authenticator.credentials();
        default:
          throw new Error(`Unknown command ${command}`);
      }
    },
  };
}
