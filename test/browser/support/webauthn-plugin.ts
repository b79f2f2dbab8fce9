/**
 * WTR plugin: Chrome's virtual authenticator for the calling test page, over
 * CDP (TOOLCHAIN.md). Commands `webauthn:*`; payloads and results in
 * `protocol.ts`, typed wrappers in `commands.ts`.
 *
 * WTR reuses pages across test files, so state is keyed by the puppeteer
 * page and a stale authenticator is removed before a new one is added.
 */
import type { TestRunnerPlugin } from '@web/test-runner';
import type { ChromeLauncher } from '@web/test-runner-chrome';
import type { CDPSession, Page } from 'puppeteer-core';
import type { AddAuthenticatorPayload, SetUserVerifiedPayload, VirtualCredential } from './protocol.js';

interface PageAuthenticator {
  cdp: CDPSession;
  authenticatorId: string | undefined;
}

export function webAuthnPlugin(): TestRunnerPlugin {
  const byPage = new WeakMap<Page, PageAuthenticator>();

  async function forPage(page: Page): Promise<PageAuthenticator> {
    let state = byPage.get(page);
    if (!state) {
      const cdp = await page.createCDPSession();
      await cdp.send('WebAuthn.enable', { enableUI: false });
      state = { cdp, authenticatorId: undefined };
      byPage.set(page, state);
    }
    return state;
  }

  async function requireAuthenticator(page: Page, command: string): Promise<PageAuthenticator & { authenticatorId: string }> {
    const state = await forPage(page);
    if (!state.authenticatorId) throw new Error(`${command}: no virtual authenticator on this page; call addAuthenticator() first`);
    return state as PageAuthenticator & { authenticatorId: string };
  }

  return {
    name: 'sendauth-webauthn',
    async executeCommand({ command, payload, session }) {
      if (!command.startsWith('webauthn:')) return undefined;
      // Only the Chrome launcher exposes the puppeteer page; this suite runs on nothing else.
      const page = (session.browser as unknown as ChromeLauncher).getPage(session.id);

      switch (command) {
        case 'webauthn:add-authenticator': {
          const options = (payload ?? {}) as AddAuthenticatorPayload;
          const state = await forPage(page);
          if (state.authenticatorId) {
            await state.cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId: state.authenticatorId });
            state.authenticatorId = undefined;
          }
          const { authenticatorId } = await state.cdp.send('WebAuthn.addVirtualAuthenticator', {
            options: {
              protocol: 'ctap2',
              transport: 'internal',
              hasResidentKey: options.hasResidentKey ?? true,
              hasUserVerification: options.hasUserVerification ?? true,
              isUserVerified: options.isUserVerified ?? true,
              automaticPresenceSimulation: true,
            },
          });
          state.authenticatorId = authenticatorId;
          return { authenticatorId };
        }
        case 'webauthn:set-user-verified': {
          const { value } = (payload ?? {}) as Partial<SetUserVerifiedPayload>;
          if (typeof value !== 'boolean') throw new Error('webauthn:set-user-verified: payload { value: boolean } expected');
          const state = await requireAuthenticator(page, command);
          await state.cdp.send('WebAuthn.setUserVerified', { authenticatorId: state.authenticatorId, isUserVerified: value });
          return { isUserVerified: value };
        }
        case 'webauthn:remove-authenticator': {
          const state = await forPage(page);
          const removed = state.authenticatorId !== undefined;
          if (state.authenticatorId) {
            await state.cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId: state.authenticatorId });
            state.authenticatorId = undefined;
          }
          return { removed };
        }
        case 'webauthn:credentials': {
          const state = await requireAuthenticator(page, command);
          const { credentials } = await state.cdp.send('WebAuthn.getCredentials', { authenticatorId: state.authenticatorId });
          return credentials.map(
            (credential): VirtualCredential => ({
              credentialId: credential.credentialId,
              isResidentCredential: credential.isResidentCredential,
              ...(credential.rpId === undefined ? {} : { rpId: credential.rpId }),
              ...(credential.userHandle === undefined ? {} : { userHandle: credential.userHandle }),
              signCount: credential.signCount,
            }),
          );
        }
        default:
          throw new Error(`Unknown command ${command}`);
      }
    },
  };
}
