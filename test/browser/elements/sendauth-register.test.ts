import { expect, fixture, html } from '@open-wc/testing';
import '../../../src/index.js';
import { getStrings, type ErrorCode, type SendAuthRegister } from '../../../src/index.js';
import {
  addAuthenticator,
  advanceClock,
  authenticatorCredentials,
  resetClock,
  setUserVerified,
  ENDPOINTS,
  getUser,
  sessionUserId,
  signedInUserWithAuthenticator,
  signOut,
  verifiedEvents,
} from '../support/commands.js';
import { needs } from '../support/engine.js';
import {
  beforeWebAuthn,
  button,
  clickAndSettle,
  input,
  part,
  recordEvents,
  recordRequests,
  shownError,
  shownStatus,
  typeInto,
} from './element-helpers.js';

const en = getStrings('en');

function fieldError(el: Element, field: string): string | undefined {
  return el.shadowRoot!.querySelector(`#${field}-error`)?.textContent?.trim();
}

describe('<sendauth-register>', () => {
  beforeEach(() => signOut());
  afterEach(() => signOut());

  it('signs a new user up with `signup`: creates the SendAuth user and their passkey, verified for real', needs('webauthn', async () => {
    await addAuthenticator();
    const email = `signup-${crypto.randomUUID()}@example.com`;
    const el = await fixture<SendAuthRegister>(html`<sendauth-register signup></sendauth-register>`);
    expect(button(el).textContent?.trim()).to.equal(en.signupButton);
    const recorded = recordEvents();

    typeInto(el, 'firstName', ' Ada ');
    typeInto(el, 'lastName', 'Lovelace');
    typeInto(el, 'email', email);
    const outcome = await clickAndSettle(el);
    recorded.stop();

    expect(outcome.type).to.equal('sendauth-success');
    const detail = outcome.detail as { kind: string; tx: string; userId: string };
    expect(detail).to.deep.equal({ kind: 'registration', tx: detail.tx, userId: detail.userId });
    expect(detail.userId).to.match(/^[0-9a-f-]{36}$/);
    expect(recorded.states()).to.deep.equal(['starting', 'ceremony', 'verifying', 'success']);
    expect(shownStatus(el)).to.equal(en.statusRegistered);

    const user = await getUser(detail.userId);
    expect(user).to.include({ email, firstName: 'Ada', lastName: 'Lovelace', hasPasskeys: true });
    expect(await verifiedEvents(detail.tx)).to.have.length(1);
    expect(sessionUserId()).to.equal(detail.userId);
    expect((await authenticatorCredentials()).length).to.equal(1);
  }));

  // No half-made accounts: however a sign-up ends without a verified passkey, pressing the button
  // again with the same email signs up (never `already-exists`); the error said so (`retryable`).
  const unfinished: Record<string, { code: ErrorCode; arrange: () => Promise<() => Promise<void>> }> = {
    'the fingerprint check failed (prompt refused)': {
      code: 'not-allowed',
      arrange: async () => {
        await setUserVerified(false);
        return () => setUserVerified(true);
      },
    },
    'the TX expired while the prompt was open': {
      code: 'tx-expired',
      arrange: async () => {
        // Time moves on (the clock is put back after the test, once the retry is done).
        const restore = beforeWebAuthn(() => advanceClock(5 * 60_000 + 1_000));
        return async () => restore();
      },
    },
  };
  for (const [how, { code, arrange }] of Object.entries(unfinished)) {
    it(`signup: ${how} → \`${code}\`, retryable; pressing again with the same email signs up`, needs('webauthn', async () => {
      await addAuthenticator();
      const email = `again-${crypto.randomUUID()}@example.com`;
      const el = await fixture<SendAuthRegister>(html`<sendauth-register signup></sendauth-register>`);
      typeInto(el, 'firstName', 'Ada');
      typeInto(el, 'lastName', 'Lovelace');
      typeInto(el, 'email', email);
      const undo = await arrange();
      let failed;
      try {
        failed = await clickAndSettle(el);
      } finally {
        await undo();
      }
      expect(failed).to.deep.equal({ type: 'sendauth-error', detail: { code, message: en.errors[code], retryable: true } });

      try {
        const again = await clickAndSettle(el);
        expect(again.type, JSON.stringify(again.detail)).to.equal('sendauth-success');
        expect(await getUser((again.detail as { userId: string }).userId)).to.include({ email, hasPasskeys: true });
      } finally {
        await resetClock();
      }
    }));
  }

  it('enrolls a passkey for the site’s signed-in user', needs('webauthn', async () => {
    const user = await signedInUserWithAuthenticator();
    expect((await getUser(user.userId)).hasPasskeys).to.equal(false);
    const el = await fixture<SendAuthRegister>(html`<sendauth-register></sendauth-register>`);
    expect(el.shadowRoot!.querySelector('input')).to.equal(null);
    expect(button(el).textContent?.trim()).to.equal(en.registerButton);
    const recorded = recordRequests();

    let outcome;
    try {
      outcome = await clickAndSettle(el);
    } finally {
      recorded.restore();
    }

    expect(outcome.type).to.equal('sendauth-success');
    expect(outcome.detail).to.deep.equal({
      kind: 'registration',
      tx: (outcome.detail as { tx: string }).tx,
      userId: user.userId,
    });
    expect((await getUser(user.userId)).hasPasskeys).to.equal(true);
    expect(recorded.requestsBeforeWebAuthn).to.deep.equal([1]);
    expect(recorded.requests[0]).to.deep.equal({ method: 'POST', path: '/sendauth/register' });
  }));

  it('validates the signup fields before sending anything, with readable messages', async () => {
    const el = await fixture<SendAuthRegister>(html`<sendauth-register signup></sendauth-register>`);
    const recorded = recordRequests();
    const events = recordEvents(el);
    try {
      button(el).click();
      await el.updateComplete;
      await el.updateComplete;
      expect(fieldError(el, 'firstName')).to.equal(en.fieldRequired);
      expect(fieldError(el, 'lastName')).to.equal(en.fieldRequired);
      expect(fieldError(el, 'email')).to.equal(en.fieldRequired);
      expect(el.shadowRoot!.activeElement).to.equal(input(el, 'firstName'));
      expect(input(el, 'firstName').getAttribute('aria-invalid')).to.equal('true');
      expect(input(el, 'firstName').getAttribute('aria-describedby')).to.equal('firstName-error');

      typeInto(el, 'firstName', 'A');
      typeInto(el, 'lastName', 'x'.repeat(51));
      typeInto(el, 'email', 'not-an-email');
      await el.updateComplete;
      expect(fieldError(el, 'firstName')).to.equal(undefined); // editing a field clears its message
      button(el).click();
      await el.updateComplete;
      await el.updateComplete;
      expect(fieldError(el, 'firstName')).to.equal(en.fieldLength);
      expect(fieldError(el, 'lastName')).to.equal(en.fieldLength);
      expect(fieldError(el, 'email')).to.equal(en.emailInvalid);
      expect(el.shadowRoot!.querySelectorAll('[part~="field-error"]')).to.have.length(3);

      el.reset();
      await el.updateComplete;
      expect(el.shadowRoot!.querySelectorAll('[part~="field-error"]')).to.have.length(0);
    } finally {
      recorded.restore();
      events.stop();
    }
    expect(recorded.requests).to.deep.equal([]);
    expect(events.events).to.deep.equal([]);
  });

  it('typing in a signup field after an error clears it: back to idle, no other event', needs('webauthn', async () => {
    const el = await fixture<SendAuthRegister>(html`<sendauth-register signup endpoint=${ENDPOINTS.noSignup}></sendauth-register>`);
    typeInto(el, 'firstName', 'Ada');
    typeInto(el, 'lastName', 'Lovelace');
    typeInto(el, 'email', `ada-${crypto.randomUUID()}@example.com`);
    const failed = await clickAndSettle(el); // this proxy does not allow signup
    expect(failed.type).to.equal('sendauth-error');
    expect(shownError(el)).to.not.equal(undefined);

    const events = recordEvents(el);
    typeInto(el, 'lastName', 'Byron');
    await el.updateComplete;
    events.stop();
    expect(events.events).to.deep.equal([{ type: 'sendauth-state', detail: { state: 'idle' } }]);
    expect(el.state).to.equal('idle');
    expect(part(el, 'error')).to.equal(null);
    expect(el.shadowRoot!.activeElement).to.equal(input(el, 'lastName'));
  }));

  it('says `unauthorized` when nobody is signed in, and works once someone is', needs('webauthn', async () => {
    const el = await fixture<SendAuthRegister>(html`<sendauth-register></sendauth-register>`);
    const failed = await clickAndSettle(el);
    expect(failed).to.deep.equal({
      type: 'sendauth-error',
      detail: { code: 'unauthorized', message: en.errors.unauthorized, retryable: false },
    });
    expect(shownError(el)).to.equal(en.errors.unauthorized);
    expect(part(el, 'error')!.getAttribute('role')).to.equal('alert');

    const user = await signedInUserWithAuthenticator();
    const retried = await clickAndSettle(el);
    expect(retried.type).to.equal('sendauth-success');
    expect((retried.detail as { userId: string }).userId).to.equal(user.userId);
    expect(shownError(el)).to.equal(undefined);
  }));
});
