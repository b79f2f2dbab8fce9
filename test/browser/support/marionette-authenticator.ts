/**
 * Firefox's virtual authenticator over Marionette (TOOLCHAIN.md "Firefox
 * ESR"): the Firefox side of `webauthn-plugin.ts`.
 *
 * Firefox keeps virtual authenticators browser-wide, not per page, so there
 * is one of these per browser, and the suite runs one page at a time
 * (`concurrency: 1`); like Chromium's page-keyed one, it outlives a test
 * file, and `add` replaces whatever an earlier file left.
 *
 * Removing the authenticator also switches Firefox from its soft token to
 * USB security keys (none is plugged in), so a ceremony then waits — until
 * aborted, or Firefox's own timeout (the page's `timeout`, raised to at
 * least 15 s) — as it does in Chromium with no authenticator, instead of
 * failing at once. A ceremony keeps the transport it started with: one
 * started while waiting does not see an authenticator added later.
 *
 * Node only.
 */
import { SOFT_TOKEN_PREF, USB_TOKEN_PREF, type FirefoxRemote } from './firefox-launcher.js';
import type { AddAuthenticatorPayload, AddAuthenticatorResult, VirtualCredential } from './protocol.js';
import type { VirtualAuthenticator } from './webauthn-plugin.js';

/** `WebAuthn:GetCredentials` answers binary fields in base64url; the suite's shape (CDP's) is base64. */
function base64(base64url: string): string {
  const plain = base64url.replace(/-/g, '+').replace(/_/g, '/');
  return plain + '='.repeat((4 - (plain.length % 4)) % 4);
}

interface MarionetteCredential {
  credentialId: string;
  isResidentCredential: boolean;
  rpId?: string;
  userHandle?: string | null;
  signCount: number;
}

export class MarionetteAuthenticator implements VirtualAuthenticator {
  private authenticatorId: string | undefined;
  private waitingForSecurityKey = false;

  constructor(private readonly firefox: FirefoxRemote) {}

  async add(options: AddAuthenticatorPayload): Promise<AddAuthenticatorResult> {
    await this.removeAuthenticator();
    if (this.waitingForSecurityKey) {
      await this.firefox.setPrefs({ [SOFT_TOKEN_PREF]: true, [USB_TOKEN_PREF]: false });
      this.waitingForSecurityKey = false;
    }
    const { value } = await this.firefox.marionette.send<{ value: string }>('WebAuthn:AddVirtualAuthenticator', {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: options.hasResidentKey ?? true,
      hasUserVerification: options.hasUserVerification ?? true,
      isUserConsenting: true,
      isUserVerified: options.isUserVerified ?? true,
    });
    this.authenticatorId = value;
    return { authenticatorId: value };
  }

  async remove(): Promise<{ removed: boolean }> {
    const removed = await this.removeAuthenticator();
    if (!this.waitingForSecurityKey) {
      await this.firefox.setPrefs({ [SOFT_TOKEN_PREF]: false, [USB_TOKEN_PREF]: true });
      this.waitingForSecurityKey = true;
    }
    return { removed };
  }

  async setUserVerified(value: boolean): Promise<void> {
    await this.firefox.marionette.send('WebAuthn:SetUserVerified', { authenticatorId: this.requireId('set-user-verified'), isUserVerified: value });
  }

  async credentials(): Promise<VirtualCredential[]> {
    const { value } = await this.firefox.marionette.send<{ value: MarionetteCredential[] }>('WebAuthn:GetCredentials', {
      authenticatorId: this.requireId('credentials'),
    });
    return value.map((credential) => ({
      credentialId: base64(credential.credentialId),
      isResidentCredential: credential.isResidentCredential,
      ...(credential.rpId === undefined ? {} : { rpId: credential.rpId }),
      ...(credential.userHandle ? { userHandle: base64(credential.userHandle) } : {}),
      signCount: credential.signCount,
    }));
  }

  private async removeAuthenticator(): Promise<boolean> {
    if (!this.authenticatorId) return false;
    await this.firefox.marionette.send('WebAuthn:RemoveVirtualAuthenticator', { authenticatorId: this.authenticatorId });
    this.authenticatorId = undefined;
    return true;
  }

  private requireId(command: string): string {
    if (!this.authenticatorId) throw new Error(`webauthn:${command}: no virtual authenticator in this Firefox; call addAuthenticator() first`);
    return this.authenticatorId;
  }
}
