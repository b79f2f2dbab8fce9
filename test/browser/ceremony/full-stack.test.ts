/**
 * The ceremony and client layers against the real stack: ProxyClient → the
 * proxy mounted in the test server → the emulator, with Chrome's virtual
 * authenticator and real WebAuthn verification.
 */
import { expect } from '@open-wc/testing';
import { performAuthentication, performRegistration } from '../../../src/ceremony/index.js';
import { ProxyClient } from '../../../src/client/index.js';
import {
  addAuthenticator,
  authenticatorCredentials,
  createUser,
  getUser,
  removeAuthenticator,
  sessionUserId,
  setUserVerified,
  signInAs,
  signOut,
  verifiedEvents,
  type CreatedUser,
} from '../support/commands.js';
import { needs } from '../support/engine.js';
import { expectCeremonyError, expectProxyError, randomBase64Url } from './helpers.js';

const client = new ProxyClient();

/** base64url (WebAuthn's JSON) as base64 (the authenticator commands' shape). */
function base64(base64url: string): string {
  const plain = base64url.replace(/-/g, '+').replace(/_/g, '/');
  return plain + '='.repeat((4 - (plain.length % 4)) % 4);
}

/** Registers a passkey for a fresh signed-in user; returns the user, the credential id and the user handle (base64url). */
async function registerFreshUser(): Promise<{ user: CreatedUser; credentialId: string; userHandle: string }> {
  await addAuthenticator();
  const user = await createUser();
  signInAs(user.userId);
  const start = await client.register();
  expect(start.kind).to.equal('registration');
  if (start.kind !== 'registration' || start.mode !== 'webauthn') throw new Error('unreachable');
  const response = await performRegistration(start.options);
  const result = await client.verify(start.tx, response);
  expect(result).to.deep.equal({ state: 'verified', kind: 'registration', userId: user.userId });
  return { user, credentialId: response.id, userHandle: start.options.user.id };
}

describe('ceremony + client, full stack', () => {
  beforeEach(() => signOut());
  afterEach(() => signOut());

  it('registers a passkey for the signed-in user', needs('webauthn', async () => {
    const { user, credentialId, userHandle } = await registerFreshUser();

    expect((await getUser(user.userId)).hasPasskeys).to.equal(true);
    // The passkey is on the virtual authenticator: this credential, for this RP and user, discoverable.
    const credentials = await authenticatorCredentials();
    expect(credentials).to.have.length(1);
    expect(credentials[0]).to.include({ credentialId: base64(credentialId), rpId: 'localhost', userHandle: base64(userHandle), isResidentCredential: true });
    const events = await verifiedEvents();
    expect(events.some((event) => event.userId === user.userId && event.kind === 'registration')).to.equal(true);
    expect(credentialId).to.be.a('string').and.not.equal('');
  }));

  it('signs in by user id and by email with the registered passkey', needs('webauthn', async () => {
    const { user } = await registerFreshUser();
    signOut();

    for (const body of [{ userId: user.userId }, { username: user.email }]) {
      const start = await client.authenticate(body);
      expect(start.kind).to.equal('authentication');
      if (start.kind !== 'authentication' || start.mode !== 'webauthn') throw new Error('unreachable');
      const response = await performAuthentication(start.options);
      const result = await client.verify(start.tx, response);
      expect(result).to.deep.equal({ state: 'verified', kind: 'authentication', userId: user.userId });
      expect(await client.status(start.tx)).to.deep.equal({ state: 'verified' });
      expect(await verifiedEvents(start.tx)).to.deep.equal([
        { endpoint: '/sendauth', userId: user.userId, kind: 'authentication', tx: start.tx },
      ]);
      // The test site's onVerified opened a session for the verified user.
      expect(sessionUserId()).to.equal(user.userId);
      signOut();
    }
  }));

  it('maps refused user verification to `not-allowed` (not worded as a closed prompt), and the next attempt works', needs('webauthn', async () => {
    const { user } = await registerFreshUser();
    signOut();

    await setUserVerified(false);
    const first = await client.authenticate({ userId: user.userId });
    if (first.kind !== 'authentication' || first.mode !== 'webauthn') throw new Error('expected an authentication TX');
    const error = await expectCeremonyError(performAuthentication(first.options), 'not-allowed');
    expect((error.cause as Error).name).to.equal('NotAllowedError');
    await client.cancel(first.tx, first.proof);

    await setUserVerified(true);
    const second = await client.authenticate({ userId: user.userId });
    if (second.kind !== 'authentication' || second.mode !== 'webauthn') throw new Error('expected an authentication TX');
    const result = await client.verify(second.tx, await performAuthentication(second.options));
    expect(result.state).to.equal('verified');
  }));

  it('refuses registration on an authenticator that holds an excluded credential: `already-registered`', needs('webauthn', async () => {
    const { credentialId } = await registerFreshUser();
    // SendAuth itself refuses a second registration for a user who has passkeys (406) …
    await expectProxyError(client.register(), 'already-registered');
    // … so reach InvalidStateError with options built here, excluding the credential just made.
    const error = await expectCeremonyError(
      performRegistration({
        challenge: randomBase64Url(),
        rp: { id: 'localhost', name: 'Test' },
        user: { id: randomBase64Url(16), name: 'again@example.com', displayName: 'Again' },
        pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
        excludeCredentials: [{ id: credentialId, type: 'public-key' }],
        timeout: 10_000,
      }),
      'already-registered',
    );
    expect((error.cause as Error).name).to.equal('InvalidStateError');
  }));

  it('answers `no-passkey` for a user without one, and (no account enumeration) for an unknown username', async () => {
    const user = await createUser();
    await expectProxyError(client.authenticate({ userId: user.userId }), 'no-passkey');
    await expectProxyError(client.authenticate({ username: `nobody-${crypto.randomUUID()}@example.com` }), 'no-passkey');
  });

  it('answers `unauthorized` to register without a session', async () => {
    await expectProxyError(client.register(), 'unauthorized', 401);
  });

  it('maps a ceremony with no authenticator to `not-allowed` once options.timeout passes', needs('webauthn', async function (this: Mocha.Context) {
    // Firefox raises a `timeout` under 15 s to 15 s (its floor for WebAuthn timeouts).
    this.timeout(30_000);
    await removeAuthenticator();
    const started = performance.now();
    const error = await expectCeremonyError(
      performAuthentication({ challenge: randomBase64Url(), rpId: 'localhost', timeout: 1_000, userVerification: 'preferred' }),
      'not-allowed',
    );
    expect((error.cause as Error).name).to.equal('NotAllowedError');
    expect(performance.now() - started).to.be.at.least(900);
  }));
});
