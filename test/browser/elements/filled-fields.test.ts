/**
 * Whatever fills the fields, counts: a password manager or a script that sets
 * a field's value without an `input` event (only a `change`, key events, or
 * nothing) is read at submit, in every element, and a field a
 * script emptied says "Please fill in this field." and sends nothing. A
 * property set just before `start()` wins over what the field showed. Fields
 * are read-only while a ceremony runs. Through the real proxy and emulator.
 */
import { expect, fixture, html } from '@open-wc/testing';
import '../../../src/index.js';
import { getStrings, type SendAuthLogin, type SendAuthRegister } from '../../../src/index.js';
import { addAuthenticator, getUser, removeAuthenticator, signOut } from '../support/commands.js';
import { needs } from '../support/engine.js';
import { createUserWithPasskey } from '../support/fixtures.js';
import { button, clickAndSettle, input, recordRequests, untilState } from './element-helpers.js';

const en = getStrings('en');

/** The ways a value gets into a field with no `input` event. */
const fillers: Record<string, (field: HTMLInputElement, value: string) => void> = {
  'a value set with no event (a password manager)': (field, value) => {
    field.value = value;
  },
  'a value set with only a change event': (field, value) => {
    field.value = value;
    field.dispatchEvent(new Event('change', { bubbles: true }));
  },
  'a value set with key events but no input event (a script playing keystrokes)': (field, value) => {
    field.dispatchEvent(new KeyboardEvent('keydown', { key: value.at(-1), bubbles: true }));
    field.value = value;
    field.dispatchEvent(new KeyboardEvent('keyup', { key: value.at(-1), bubbles: true }));
  },
};

function fieldError(el: Element, field: string): string | undefined {
  return el.shadowRoot!.querySelector(`#${field}-error`)?.textContent?.trim();
}

describe('whatever fills the fields, counts', () => {
  beforeEach(() => signOut());
  afterEach(() => signOut());

  for (const [how, fill] of Object.entries(fillers)) {
    it(`<sendauth-login>, ${how}: signs in with what the field shows`, needs('webauthn', async () => {
      const user = await createUserWithPasskey();
      const el = await fixture<SendAuthLogin>(html`<sendauth-login></sendauth-login>`);
      fill(input(el, 'username'), user.email);
      const outcome = await clickAndSettle(el);
      expect(outcome.type, JSON.stringify(outcome.detail)).to.equal('sendauth-success');
      expect((outcome.detail as { userId: string }).userId).to.equal(user.userId);
      expect(el.username).to.equal(user.email);
    }));

    it(`<sendauth-register signup>, ${how}: signs up with what the fields show`, needs('webauthn', async () => {
      await addAuthenticator();
      const email = `filled-${crypto.randomUUID()}@example.com`;
      const el = await fixture<SendAuthRegister>(html`<sendauth-register signup></sendauth-register>`);
      fill(input(el, 'firstName'), 'Ada');
      fill(input(el, 'lastName'), 'Lovelace');
      fill(input(el, 'email'), email);
      const outcome = await clickAndSettle(el);
      expect(outcome.type, JSON.stringify(outcome.detail)).to.equal('sendauth-success');
      const user = await getUser((outcome.detail as { userId: string }).userId);
      expect(user).to.include({ email, firstName: 'Ada', lastName: 'Lovelace', hasPasskeys: true });
    }));
  }

  it('<sendauth-login>: a prefilled field a script emptied says "Please fill in this field." and sends nothing', async () => {
    const el = await fixture<SendAuthLogin>(html`<sendauth-login username="ada@example.com"></sendauth-login>`);
    input(el, 'username').value = '';
    const recorded = recordRequests();
    try {
      button(el).click();
      await el.updateComplete;
    } finally {
      recorded.restore();
    }
    expect(recorded.requests).to.deep.equal([]);
    expect(fieldError(el, 'username')).to.equal(en.fieldRequired);
    expect(el.state).to.equal('idle');
  });

  it('<sendauth-register signup>: fields a script emptied say "Please fill in this field." and nothing is sent', async () => {
    const el = await fixture<SendAuthRegister>(html`<sendauth-register signup></sendauth-register>`);
    for (const [field, value] of [['firstName', 'Ada'], ['lastName', 'Lovelace'], ['email', 'ada@example.com']] as const) {
      input(el, field).value = value;
      input(el, field).dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
    }
    await el.updateComplete;
    input(el, 'email').value = ''; // then emptied behind the element's back
    const recorded = recordRequests();
    try {
      button(el).click();
      await el.updateComplete;
    } finally {
      recorded.restore();
    }
    expect(recorded.requests).to.deep.equal([]);
    expect(fieldError(el, 'email')).to.equal(en.fieldRequired);
    expect(fieldError(el, 'firstName')).to.equal(undefined);
  });

  it('a property set just before start() wins over what the field showed', needs('webauthn', async () => {
    const user = await createUserWithPasskey();
    const el = await fixture<SendAuthLogin>(html`<sendauth-login username="someone-else@example.com"></sendauth-login>`);
    el.username = user.email;
    const outcome = clickAndSettle(el);
    expect((await outcome).type).to.equal('sendauth-success');
    expect(input(el, 'username').value).to.equal(user.email);
  }));

  it('fields are read-only while a ceremony runs, and editable again after', needs('webauthn', async () => {
    const user = await createUserWithPasskey();
    await removeAuthenticator(); // the prompt waits
    const login = await fixture<SendAuthLogin>(html`<sendauth-login username=${user.email}></sendauth-login>`);
    expect(input(login, 'username').readOnly).to.equal(false);
    button(login).click();
    await untilState(login, 'ceremony');
    await login.updateComplete;
    expect(input(login, 'username').readOnly).to.equal(true);
    login.cancel();
    await login.updateComplete;
    expect(input(login, 'username').readOnly).to.equal(false);

    await addAuthenticator();
    await removeAuthenticator();
    const signup = await fixture<SendAuthRegister>(html`<sendauth-register signup></sendauth-register>`);
    for (const [field, value] of [['firstName', 'Ada'], ['lastName', 'Lovelace'], ['email', `ro-${crypto.randomUUID()}@example.com`]] as const) {
      input(signup, field).value = value;
    }
    button(signup).click();
    await untilState(signup, 'ceremony');
    await signup.updateComplete;
    expect([...signup.shadowRoot!.querySelectorAll('input')].map((field) => field.readOnly)).to.deep.equal([true, true, true]);
    signup.cancel();
    await signup.updateComplete;
    expect([...signup.shadowRoot!.querySelectorAll('input')].map((field) => field.readOnly)).to.deep.equal([false, false, false]);
  }));
});
