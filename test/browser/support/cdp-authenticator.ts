/**
 * Chrome's virtual authenticator over CDP (TOOLCHAIN.md), one per page: the
 * Chromium side of `webauthn-plugin.ts`.
 *
 * With WebAuthn emulation on and no authenticator, a ceremony waits for one
 * until its `timeout`; an authenticator added meanwhile answers it.
 *
 * Node only.
 */
import type { CDPSession, Page } from 'puppeteer-core';
import type { AddAuthenticatorPayload, AddAuthenticatorResult, VirtualCredential } from './protocol.js';
import type { VirtualAuthenticator } from './webauthn-plugin.js';

export class CdpAuthenticator implements VirtualAuthenticator {
  private cdp: CDPSession | undefined;
  private authenticatorId: string | undefined;

  constructor(private readonly page: Page) {}

  async add(options: AddAuthenticatorPayload): Promise<AddAuthenticatorResult> {
    await this.remove();
    const cdp = await this.session();
    const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'internal',
        hasResidentKey: options.hasResidentKey ?? true,
        hasUserVerification: options.hasUserVerification ?? true,
        isUserVerified: options.isUserVerified ?? true,
        automaticPresenceSimulation: true,
      },
    });
    this.authenticatorId = authenticatorId;
    return { authenticatorId };
  }

  async remove(): Promise<{ removed: boolean }> {
    const cdp = await this.session();
    if (!this.authenticatorId) return { removed: false };
    await cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId: this.authenticatorId });
    this.authenticatorId = undefined;
    return { removed: true };
  }

  async setUserVerified(value: boolean): Promise<void> {
    await (await this.session()).send('WebAuthn.setUserVerified', { authenticatorId: this.requireId('set-user-verified'), isUserVerified: value });
  }

  async credentials(): Promise<VirtualCredential[]> {
    const { credentials } = await (await this.session()).send('WebAuthn.getCredentials', { authenticatorId: this.requireId('credentials') });
    return credentials.map((credential) => ({
      credentialId: credential.credentialId,
      isResidentCredential: credential.isResidentCredential,
      ...(credential.rpId === undefined ? {} : { rpId: credential.rpId }),
      ...(credential.userHandle === undefined ? {} : { userHandle: credential.userHandle }),
      signCount: credential.signCount,
    }));
  }

  /** The page's CDP session with WebAuthn emulation on: from then on, ceremonies use only virtual authenticators. */
  private async session(): Promise<CDPSession> {
    if (!this.cdp) {
      const cdp = await this.page.createCDPSession();
      await cdp.send('WebAuthn.enable', { enableUI: false });
      this.cdp = cdp;
    }
    return this.cdp;
  }

  private requireId(command: string): string {
    if (!this.authenticatorId) throw new Error(`webauthn:${command}: no virtual authenticator on this page; call addAuthenticator() first`);
    return this.authenticatorId;
  }
}
