/** Ending a ceremony from the page: the caller's signal, a deadline, the page's one abort service, a newer ceremony. */
import { expect } from '@open-wc/testing';
import { WebAuthnAbortService } from '@simplewebauthn/browser';
import { isCeremonyPreempted, performAuthentication, performRegistration } from '../../../src/ceremony/index.js';
import type { PublicKeyCredentialRequestOptionsJSON } from '../../../src/types.js';
import { addAuthenticator, removeAuthenticator } from '../support/commands.js';
import { skipUnless } from '../support/engine.js';
import { expectCeremonyError, randomBase64Url } from './helpers.js';

/** With no authenticator, a ceremony waits (for `timeout`, at least 15 s in Firefox): long enough to abort it. */
const waitingOptions = (): PublicKeyCredentialRequestOptionsJSON => ({
  challenge: randomBase64Url(),
  rpId: 'localhost',
  timeout: 10_000,
  userVerification: 'preferred',
});

describe('aborting a ceremony', () => {
  before(function () {
    return skipUnless(this, 'webauthn');
  });
  beforeEach(async () => {
    await addAuthenticator(); // a fresh virtual authenticator environment …
    await removeAuthenticator(); // … with no authenticator in it, so ceremonies wait.
  });

  it('ends with `cancelled` when the signal aborts mid-ceremony', async () => {
    const controller = new AbortController();
    const ceremony = performAuthentication(waitingOptions(), { signal: controller.signal });
    setTimeout(() => controller.abort(), 200);
    const started = performance.now();
    const error = await expectCeremonyError(ceremony, 'cancelled');
    expect(performance.now() - started).to.be.below(5_000);
    expect(error.kind).to.equal('authentication');
  });

  it('ends with `cancelled` at once when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expectCeremonyError(performAuthentication(waitingOptions(), { signal: controller.signal }), 'cancelled');
  });

  it('ends with `timeout` when the signal is a deadline (AbortSignal.timeout)', async () => {
    const error = await expectCeremonyError(performAuthentication(waitingOptions(), { signal: AbortSignal.timeout(200) }), 'timeout');
    expect((error.cause as Error).name).to.equal('TimeoutError');
  });

  it('ends with `cancelled` when the page\'s abort service cancels it (a single-page app leaving a view)', async () => {
    const ceremony = performRegistration({
      challenge: randomBase64Url(),
      rp: { id: 'localhost', name: 'Test' },
      user: { id: randomBase64Url(16), name: 'abort@example.com', displayName: 'Abort' },
      pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
      timeout: 10_000,
    });
    setTimeout(() => WebAuthnAbortService.cancelCeremony(), 200);
    const error = await expectCeremonyError(ceremony, 'cancelled');
    expect(error.kind).to.equal('registration');
  });

  it('ends the older ceremony with `cancelled` when a newer one starts: preempted, unlike one its own signal ended', async () => {
    const olderSignal = new AbortController().signal;
    const older = performAuthentication(waitingOptions(), { signal: olderSignal });
    const olderSettled = expectCeremonyError(older, 'cancelled');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const controller = new AbortController();
    const newer = performAuthentication(waitingOptions(), { signal: controller.signal });
    expect(isCeremonyPreempted(await olderSettled, olderSignal)).to.equal(true);
    controller.abort();
    expect(isCeremonyPreempted(await expectCeremonyError(newer, 'cancelled'), controller.signal)).to.equal(false);
  });

  it('a prompt the visitor closed (NotAllowedError) is not preempted', async () => {
    await addAuthenticator({ isUserVerified: false }); // refuses at once, as closing the prompt does
    const signal = new AbortController().signal;
    const ceremony = performAuthentication({ ...waitingOptions(), userVerification: 'required' }, { signal });
    const error = await expectCeremonyError(ceremony, 'not-allowed');
    expect(isCeremonyPreempted(error, signal)).to.equal(false);
  });
});
