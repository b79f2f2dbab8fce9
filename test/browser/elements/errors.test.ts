/**
 * Each error code the real stack can produce, reached for real: the message
 * shown, the `sendauth-error` detail, and that the element can try again.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../../src/index.js';
import { getStrings, isRetryable, ProxyClient, type ErrorCode, type SendAuthLogin, type SendAuthRegister } from '../../../src/index.js';
import {
  addAuthenticator,
  advanceClock,
  removeAuthenticator,
  ENDPOINTS,
  LIMITED_WINDOW_MS,
  resetClock,
  resetRateLimit,
  setUserVerified,
  signInAs,
  signOut,
  stackInfo,
} from '../support/commands.js';
import { needs, skipUnless } from '../support/engine.js';
import { createUserWithPasskey } from '../support/fixtures.js';
import {
  beforeWebAuthn,
  button,
  clickAndSettle,
  part,
  recordEvents,
  recordRequests,
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

  it('user verification refused → not-allowed ("not confirmed", not "the prompt was closed"); then a retry works', async () => {
    const user = await createUserWithPasskey();
    const el = await fixture<SendAuthLogin>(html`<sendauth-login username=${user.email}></sendauth-login>`);
    await setUserVerified(false);
    await expectError(el, 'not-allowed');
    expect(shownError(el)).to.not.match(/closed/i);

    await setUserVerified(true);
    await expectSuccess(el, user.userId);
  });

  it('authenticator without the credential (the passkey was removed) → not-allowed; then a retry works', async () => {
    const user = await createUserWithPasskey();
    await addAuthenticator(); // a new, empty authenticator replaces the one holding the passkey
    const el = await fixture<SendAuthLogin>(html`<sendauth-login username=${user.email}></sendauth-login>`);
    await expectError(el, 'not-allowed');

    const other = await createUserWithPasskey(); // a passkey on the current authenticator
    typeInto(el, 'username', other.email);
    await expectSuccess(el, other.userId);
  });

  it('another WebAuthn request of the page still pending (the site\'s own) → prompt-pending, retryable; once it ends, a retry works', needs('pending-webauthn', async () => {
    const first = await createUserWithPasskey();
    const el = await fixture<SendAuthLogin>(html`<sendauth-login username=${first.email}></sendauth-login>`);
    // The site's own request, made without SimpleWebAuthn: with no authenticator it stays pending.
    await removeAuthenticator();
    const siteRequest = new AbortController();
    const settled = navigator.credentials
      .get({
        publicKey: { challenge: crypto.getRandomValues(new Uint8Array(32)), rpId: 'localhost', timeout: 60_000 },
        signal: siteRequest.signal,
      })
      .catch((error: unknown) => error);
    const recorded = recordRequests();
    try {
      // Chromium: OperationError "A request is already pending." Not "this browser does not support passkeys".
      await expectError(el, 'prompt-pending');
    } finally {
      recorded.restore();
    }
    expect(isRetryable('prompt-pending')).to.equal(true);
    const [released] = recorded.requests.filter((request) => request.method === 'DELETE');
    expect(released, 'the TX of the refused ceremony is released').to.not.equal(undefined);

    siteRequest.abort();
    await settled;
    const user = await createUserWithPasskey(); // an authenticator again, with a passkey on it
    typeInto(el, 'username', user.email);
    await expectSuccess(el, user.userId);
  }));

  it('a page opened by IP address (127.0.0.1) → rp-mismatch, telling the developer to open it as localhost', needs('webauthn', async () => {
    const user = await createUserWithPasskey();
    const frame = document.createElement('iframe');
    frame.src = `http://127.0.0.1:${location.port}/test/browser/pages/ip-host.html?user=${user.userId}`;
    const reported = new Promise<{ host: string; detail: { code: string; message: string; retryable: boolean }; shown: string }>(
      (resolve) => window.addEventListener('message', (event) => resolve(event.data), { once: true }),
    );
    document.body.append(frame);
    try {
      const { host, detail, shown } = await reported;
      expect(host).to.equal('127.0.0.1');
      expect(detail).to.deep.equal({ code: 'rp-mismatch', message: en.rpMismatchIp, retryable: false });
      expect(shown).to.equal(en.rpMismatchIp);
      expect(shown).to.match(/localhost/);
    } finally {
      frame.remove();
    }
    // On a host name the same code keeps its usual words.
    expect(en.errors['rp-mismatch']).to.not.match(/localhost/);
  }));

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

  it('proxy answers 429 → rate-limited; the wait it names (Retry-After) counts down on the button and in the status, then a retry works', async function () {
    this.timeout(LIMITED_WINDOW_MS + 15_000);
    const user = await createUserWithPasskey();
    await resetRateLimit();
    const el = await fixture<SendAuthLogin>(
      html`<sendauth-login endpoint=${ENDPOINTS.limited} username=${user.email}></sendauth-login>`,
    );
    // The one start the window allows (per user and per IP): a bare start, not a whole sign-in, so
    // that most of the window is left however slow the machine (the wait is rounded up to seconds).
    await new ProxyClient({ endpoint: ENDPOINTS.limited }).authenticate({ userId: user.userId });
    const outcome = await clickAndSettle(el);
    expect(outcome).to.deep.equal({
      type: 'sendauth-error',
      detail: { code: 'rate-limited', message: en.errors['rate-limited'], retryable: true },
    });
    expect(shownError(el)).to.equal(en.errors['rate-limited']);

    // The button says when it can be pressed again, and cannot be until then.
    const windowSeconds = LIMITED_WINDOW_MS / 1_000;
    const seconds = (text: string | null | undefined, pattern: RegExp): number => Number(pattern.exec(text?.trim() ?? '')?.[1]);
    const onButton = seconds(button(el).textContent, /^Try again in 0:0(\d)$/);
    expect(onButton, button(el).textContent ?? '').to.be.within(2, windowSeconds);
    expect(button(el).getAttribute('aria-disabled')).to.equal('true');
    // The status counts down too, but is not read out every second (not live while it counts).
    const status = part(el, 'status')!;
    const inStatus = /^You can try again in 0:0(\d)\.$/;
    const first = seconds(status.textContent, inStatus);
    expect(first, status.textContent ?? '').to.be.within(2, onButton);
    expect(status.getAttribute('aria-live')).to.equal('off');
    await waitUntil(() => seconds(status.textContent, inStatus) !== first, 'the status counts down', { timeout: 2_500 });
    expect(seconds(status.textContent, inStatus), status.textContent ?? '').to.be.within(0, first - 1);

    const recorded = recordRequests();
    const events = recordEvents(el);
    try {
      button(el).click(); // too early: nothing is sent
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(recorded.requests).to.deep.equal([]);
      expect(events.events).to.deep.equal([]);
    } finally {
      recorded.restore();
      events.stop();
    }

    // The wait is over: said once, politely, and the button is back.
    await waitUntil(() => button(el).textContent?.trim() === en.signInButton, 'the wait ends', { timeout: LIMITED_WINDOW_MS + 2_000 });
    expect(status.getAttribute('aria-live')).to.equal('polite');
    expect(status.textContent?.trim()).to.equal(en.retryNow);
    expect(button(el).getAttribute('aria-disabled')).to.equal('false');
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
