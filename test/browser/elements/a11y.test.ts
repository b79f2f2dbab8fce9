/** axe-core finds nothing in any state, in light and dark; the whole flow works with the keyboard. */
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../../src/index.js';
import { getStrings, type SendAuthLogin, type SendAuthRegister } from '../../../src/index.js';
import { addAuthenticator, getUser, removeAuthenticator, signedInUserWithAuthenticator, signOut } from '../support/commands.js';
import { needs, resetColorScheme, useColorScheme } from '../support/engine.js';
import { createUserWithPasskey } from '../support/fixtures.js';
import { axeViolations } from './axe.js';
import { button, clickAndSettle, part, shownStatus, untilState } from './element-helpers.js';

for (const colorScheme of ['light', 'dark'] as const) {
  describe(`accessibility (${colorScheme})`, () => {
    before(function () {
      return useColorScheme(this, colorScheme);
    });
    after(() => resetColorScheme());
    beforeEach(() => signOut());
    afterEach(() => signOut());

    it('login: idle, busy, success', needs('webauthn', async () => {
      const user = await createUserWithPasskey();
      const el = await fixture<SendAuthLogin>(html`<sendauth-login username=${user.email}></sendauth-login>`);
      expect(await axeViolations(el), 'idle').to.deep.equal([]);

      await clickAndSettle(el);
      expect(el.state).to.equal('success');
      expect(await axeViolations(el), 'success').to.deep.equal([]);

      await removeAuthenticator();
      button(el).click();
      await untilState(el, 'ceremony');
      await el.updateComplete;
      // On the button, not the form: a busy region may hold back the live status inside it.
      expect(button(el).getAttribute('aria-busy')).to.equal('true');
      expect(shownStatus(el)).to.not.equal('');
      expect(await axeViolations(el), 'busy').to.deep.equal([]);

      el.cancel();
      await el.updateComplete;
      expect(shownStatus(el)).to.equal(getStrings('en').statusCancelled);
      expect(await axeViolations(el), 'cancelled').to.deep.equal([]);
    }));

    it('login: error, and a field message', async () => {
      const el = await fixture<SendAuthLogin>(html`<sendauth-login></sendauth-login>`);
      button(el).click();
      await el.updateComplete;
      expect(part(el, 'field-error')).to.not.equal(null);
      expect(await axeViolations(el), 'field message').to.deep.equal([]);

      el.username = `nobody-${crypto.randomUUID()}@example.com`;
      await clickAndSettle(el);
      expect(el.state).to.equal('error');
      expect(await axeViolations(el), 'error').to.deep.equal([]);
    });

    it('register: the signup form, with field messages, and in error', async () => {
      const el = await fixture<SendAuthRegister>(html`<sendauth-register signup></sendauth-register>`);
      expect(await axeViolations(el), 'signup form').to.deep.equal([]);
      button(el).click();
      await el.updateComplete;
      expect(await axeViolations(el), 'signup field messages').to.deep.equal([]);

      const plain = await fixture<SendAuthRegister>(html`<sendauth-register></sendauth-register>`);
      await clickAndSettle(plain); // nobody signed in: unauthorized
      expect(plain.state).to.equal('error');
      expect(await axeViolations(plain), 'register error').to.deep.equal([]);
    });

    it('register: busy, and after success', needs('webauthn', async () => {
      await signedInUserWithAuthenticator();
      await removeAuthenticator(); // the prompt waits: busy for as long as axe needs
      const el = await fixture<SendAuthRegister>(html`<sendauth-register></sendauth-register>`);
      button(el).click();
      await untilState(el, 'ceremony');
      await el.updateComplete;
      expect(button(el).getAttribute('aria-busy')).to.equal('true');
      expect(await axeViolations(el), 'busy').to.deep.equal([]);
      el.cancel();

      await addAuthenticator();
      await clickAndSettle(el);
      expect(el.state).to.equal('success');
      expect(shownStatus(el)).to.equal(getStrings('en').statusRegistered);
      expect(await axeViolations(el), 'success').to.deep.equal([]);
    }));
  });
}

describe('keyboard only', () => {
  beforeEach(() => signOut());
  afterEach(() => signOut());

  it('Tab to the field, type, Tab to the button, Enter: signed in', needs('webauthn', async () => {
    const user = await createUserWithPasskey();
    const before = await fixture<HTMLButtonElement>(html`<button>before</button>`);
    const el = await fixture<SendAuthLogin>(html`<sendauth-login></sendauth-login>`);
    before.focus();

    await sendKeys({ press: 'Tab' });
    expect(el.shadowRoot!.activeElement?.id).to.equal('username');
    await sendKeys({ type: user.email });
    await sendKeys({ press: 'Tab' });
    expect(el.shadowRoot!.activeElement).to.equal(button(el));
    const success = oneEvent(el, 'sendauth-success');
    await sendKeys({ press: 'Enter' });
    expect((await success).detail.userId).to.equal(user.userId);
  }));

  it('signup: Tab through the fields, type, Enter in the last field: signed up', needs('webauthn', async () => {
    await addAuthenticator();
    const before = await fixture<HTMLButtonElement>(html`<button>before</button>`);
    const el = await fixture<SendAuthRegister>(html`<sendauth-register signup></sendauth-register>`);
    const email = `keyboard-${crypto.randomUUID()}@example.com`;
    before.focus();

    for (const [field, text] of [
      ['firstName', 'Grace'],
      ['lastName', 'Hopper'],
      ['email', email],
    ] as const) {
      await sendKeys({ press: 'Tab' });
      expect(el.shadowRoot!.activeElement?.id).to.equal(field);
      await sendKeys({ type: text });
    }
    const success = oneEvent(el, 'sendauth-success');
    await sendKeys({ press: 'Enter' });
    const { detail } = await success;
    expect(await getUser(detail.userId)).to.include({ email, firstName: 'Grace', lastName: 'Hopper', hasPasskeys: true });
    await el.updateComplete;
    expect(shownStatus(el)).to.equal(getStrings('en').statusRegistered);
  }));
});
