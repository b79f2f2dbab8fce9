/**
 * Each error code the real stack can produce, reached for real: the message
 * shown, the `sendauth-error` detail, and that the element can try again.
 */
import { expect, fixture, html } from '@open-wc/testing';
import '../../../src/index.js';
import { getStrings, isRetryable, type ErrorCode, type SendAuthLogin, type SendAuthRegister } from '../../../src/index.js';
import {
  addAuthenticator,
  advanceClock,
  ENDPOINTS,
  resetClock,
  resetRateLimit,
  setUserVerified,
  signInAs,
  signOut,
  stackInfo,
} from '../support/commands.js';
import { skipUnless } from '../support/engine.js';
import { createUserWithPasskey } from '../support/fixtures.js';
import {
  beforeWebAuthn,
  button,
  clickAndSettle,
  part,
  removeSignedInUsersPasskeys,
  shownError,
  type SendAuthElement,
  typeInto,
} from './element-helpers.js';

const en = getStrings('en');
/** SendAuth TXs live 5 minutes. */
const TX_LIFETIME_MS = 5 * 60_000;

/** Clicks, expects `code`, and checks what the visitor sees and where the focus went. */
async function expectError(el: SendAuthElement, code: ErrorCode): Promise<void> {
  const outcome = await clickAndSettle(el);
  expect(outcome).to.deep.equal({
    type: 'sendauth-error',
    detail: { code, message: en.errors[code], retryable: isRetryable(code) },
  });
  expect(el.state).to.equal('error');
  expect(shownError(el)).to.equal(en.errors[code]);
  expect(el.shadowRoot!.activeElement, 'focus moves to the error').to.equal(part(el, 'error'));
  expect(button(el).getAttribute('aria-disabled')).to.equal('false');
}

async function expectSuccess(el: SendAuthElement, userId: string): Promise<void> {
  const outcome = await clickAndSettle(el);
  expect(outcome.type, JSON.stringify(outcome.detail)).to.equal('sendauth-success');
  expect((outcome.detail as { userId: string }).userId).to.equal(userId);
  expect(shownError(el)).to.equal(undefined);
}

describe('errors, reached for real', () => {
  // Each error is reached through a ceremony (an engine without WebAuthn says `not-supported` first).
  before(function () {
    return skipUnless(this, 'webauthn');
  });
  beforeEach(() => signOut());
  afterEach(async () => {
    signOut();
    await resetClock();
  });

  it('user verification refused → cancelled; then a retry works', async () => {
    const user = await createUserWithPasskey();
    const el = await fixture<SendAuthLogin>(html`<sendauth-login username=${user.email}></sendauth-login>`);
    await setUserVerified(false);
    await expectError(el, 'cancelled');

    await setUserVerified(true);
    await expectSuccess(el, user.userId);
  });

  it('authenticator without the credential (the passkey was removed) → cancelled; then a retry works', async () => {
    const user = await createUserWithPasskey();
    await addAuthenticator(); // a new, empty authenticator replaces the one holding the passkey
    const el = await fixture<SendAuthLogin>(html`<sendauth-login username=${user.email}></sendauth-login>`);
    await expectError(el, 'cancelled');

    const other = await createUserWithPasskey(); // a passkey on the current authenticator
    typeInto(el, 'username', other.email);
    await expectSuccess(el, other.userId);
  });

  it('unknown user → the same `no-passkey` a known user without a passkey gets; a retry with the right email works', async () => {
    const user = await createUserWithPasskey();
    const el = await fixture<SendAuthLogin>(html`<sendauth-login></sendauth-login>`);
    typeInto(el, 'username', `nobody-${crypto.randomUUID()}@example.com`);
    // The proxy does not tell strangers which addresses have accounts.
    await expectError(el, 'no-passkey');

    typeInto(el, 'username', user.email);
    await expectSuccess(el, user.userId);
  });

  it('already registered → already-registered; after removing the passkey, a retry works', async () => {
    const user = await createUserWithPasskey();
    signInAs(user.userId);
    const el = await fixture<SendAuthRegister>(html`<sendauth-register></sendauth-register>`);
    await expectError(el, 'already-registered');

    await removeSignedInUsersPasskeys();
    await expectSuccess(el, user.userId);
  });

  it('TX expired between start and verify → tx-expired; then a retry works', async () => {
    const user = await createUserWithPasskey();
    const el = await fixture<SendAuthLogin>(html`<sendauth-login username=${user.email}></sendauth-login>`);
    // Runs while the element is in `ceremony`, after the TX was created and before verify.
    const restore = beforeWebAuthn(() => advanceClock(TX_LIFETIME_MS + 1_000));
    try {
      await expectError(el, 'tx-expired');
    } finally {
      restore();
    }

    await expectSuccess(el, user.userId);
  });

  it('proxy answers 429 → rate-limited; once the window has passed, a retry works', async () => {
    const user = await createUserWithPasskey();
    await resetRateLimit();
    const el = await fixture<SendAuthLogin>(
      html`<sendauth-login endpoint=${ENDPOINTS.limited} username=${user.email}></sendauth-login>`,
    );
    await expectSuccess(el, user.userId); // the one start the limit allows
    await expectError(el, 'rate-limited');

    await resetRateLimit(); // stands in for waiting out the minute
    await expectSuccess(el, user.userId);
  });

  it('proxy unreachable → network; pointed at the proxy again, a retry works', async () => {
    const user = await createUserWithPasskey();
    const { unreachableEndpoint } = await stackInfo();
    const el = await fixture<SendAuthLogin>(
      html`<sendauth-login endpoint=${unreachableEndpoint} username=${user.email}></sendauth-login>`,
    );
    await expectError(el, 'network');

    el.endpoint = ENDPOINTS.main;
    await expectSuccess(el, user.userId);
  });

  it('SendAuth unreachable behind the proxy → upstream', async () => {
    const el = await fixture<SendAuthLogin>(
      html`<sendauth-login endpoint=${ENDPOINTS.down} username="someone@example.com"></sendauth-login>`,
    );
    await expectError(el, 'upstream');
  });
});
