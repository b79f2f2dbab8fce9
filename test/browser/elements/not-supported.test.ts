/**
 * In a browser without WebAuthn — WebKitGTK for real (`PublicKeyCredential`
 * and `navigator.credentials` are undefined there); elsewhere the page is
 * made to look the same with `withoutWebAuthn()` — the elements say so in
 * words, fire `sendauth-error` once, send nothing to the proxy, and stay
 * usable by keyboard and assistive technology.
 */
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../../src/index.js';
import { getStrings, registerLanguage, type SendAuthLogin, type SendAuthRegister } from '../../../src/index.js';
import { de } from '../../../src/elements/locales/de.js';
import { signOut } from '../support/commands.js';
import { withoutWebAuthn } from '../support/engine.js';
import { axeViolations } from './axe.js';
import { button, clickAndSettle, part, recordEvents, recordRequests, shownError, typeInto } from './element-helpers.js';

const en = getStrings('en');
const NOT_SUPPORTED = { code: 'not-supported', message: en.errors['not-supported'], retryable: false };

describe('a browser without WebAuthn', () => {
  let restoreWebAuthn = (): void => {};
  beforeEach(() => {
    signOut();
    restoreWebAuthn = withoutWebAuthn();
  });
  afterEach(() => {
    restoreWebAuthn();
    signOut();
  });

  it('<sendauth-login>: says `not-supported`, focused, fired once, with no request to the proxy', async () => {
    const el = await fixture<SendAuthLogin>(html`<sendauth-login username="ada@example.com"></sendauth-login>`);
    const recorded = recordRequests();
    const events = recordEvents(el);
    let outcome;
    try {
      outcome = await clickAndSettle(el);
    } finally {
      recorded.restore();
      events.stop();
    }
    expect(outcome).to.deep.equal({ type: 'sendauth-error', detail: NOT_SUPPORTED });
    expect(events.events).to.deep.equal([
      { type: 'sendauth-state', detail: { state: 'error' } },
      { type: 'sendauth-error', detail: NOT_SUPPORTED },
    ]);
    expect(recorded.requests).to.deep.equal([]);
    expect(shownError(el)).to.equal(en.errors['not-supported']);
    expect(part(el, 'error')!.getAttribute('role')).to.equal('alert');
    expect(el.shadowRoot!.activeElement, 'focus moves to the message').to.equal(part(el, 'error'));
    expect(await axeViolations(el)).to.deep.equal([]);
  });

  it('<sendauth-register signup>: checks the fields first, then says `not-supported` without creating an account', async () => {
    const el = await fixture<SendAuthRegister>(html`<sendauth-register signup></sendauth-register>`);
    const recorded = recordRequests();
    try {
      button(el).click();
      await el.updateComplete;
      expect(el.shadowRoot!.querySelectorAll('[part~="field-error"]'), 'field messages come first').to.have.length(3);

      typeInto(el, 'firstName', 'Ada');
      typeInto(el, 'lastName', 'Lovelace');
      typeInto(el, 'email', `ada-${crypto.randomUUID()}@example.com`);
      const outcome = await clickAndSettle(el);
      expect(outcome).to.deep.equal({ type: 'sendauth-error', detail: NOT_SUPPORTED });
    } finally {
      recorded.restore();
    }
    expect(recorded.requests, 'no signup reached the proxy').to.deep.equal([]);
    expect(shownError(el)).to.equal(en.errors['not-supported']);
    expect(await axeViolations(el)).to.deep.equal([]);
  });

  it('keyboard only: Tab to the field, type, Tab to the button, Enter: the message is read out and focused', async () => {
    const before = await fixture<HTMLButtonElement>(html`<button>before</button>`);
    const el = await fixture<SendAuthLogin>(html`<sendauth-login></sendauth-login>`);
    before.focus();

    await sendKeys({ press: 'Tab' });
    expect(el.shadowRoot!.activeElement?.id).to.equal('username');
    await sendKeys({ type: 'grace@example.com' });
    expect(el.username).to.equal('grace@example.com');
    await sendKeys({ press: 'Tab' });
    expect(el.shadowRoot!.activeElement).to.equal(button(el));
    const failed = oneEvent(el, 'sendauth-error');
    await sendKeys({ press: 'Enter' });
    expect((await failed).detail).to.deep.equal(NOT_SUPPORTED);
    await el.updateComplete;
    expect(el.shadowRoot!.activeElement).to.equal(part(el, 'error'));
  });

  it('lang="de": the message in German', async () => {
    registerLanguage('de', de);
    const el = await fixture<SendAuthLogin>(html`<sendauth-login lang="de" username="ada@example.com"></sendauth-login>`);
    const outcome = await clickAndSettle(el);
    const german = getStrings('de').errors['not-supported'];
    expect((outcome.detail as { message: string }).message).to.equal(german);
    expect(shownError(el)).to.equal(german);
  });
});
