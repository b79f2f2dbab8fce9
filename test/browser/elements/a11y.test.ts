/**
 * axe-core finds nothing in any state (idle, starting, ceremony, error, success), in light, dark and
 * forced colours; field borders reach 3:1; the text is marked with its language and direction; the
 * whole flow works with the keyboard.
 */
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../../src/index.js';
import { de } from '../../../src/elements/locales/de.js';
import { getStrings, registerLanguage, type SendAuthLogin, type SendAuthRegister } from '../../../src/index.js';
import {
  addAuthenticator,
  emulateForcedColors,
  getUser,
  removeAuthenticator,
  signedInUserWithAuthenticator,
  signOut,
} from '../support/commands.js';
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

/** WCAG 2.x relative luminance of a computed `rgb(…)`/`rgba(…)` colour. */
function luminance(color: string): number {
  const [r, g, b] = (color.match(/[\d.]+/g) ?? []).slice(0, 3).map((value) => {
    const channel = Number(value) / 255;
    return channel <= 0.03928 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (b ?? 0);
}

function contrast(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light! + 0.05) / (dark! + 0.05);
}

for (const colorScheme of ['light', 'dark'] as const) {
  describe(`field borders (${colorScheme})`, () => {
    before(function () {
      return useColorScheme(this, colorScheme);
    });
    after(() => resetColorScheme());

    it('reach 3:1 against the form (WCAG 1.4.11), computed from the styles', async () => {
      for (const el of [
        await fixture<SendAuthLogin>(html`<sendauth-login></sendauth-login>`),
        await fixture<SendAuthRegister>(html`<sendauth-register signup></sendauth-register>`),
      ]) {
        const form = getComputedStyle(part(el, 'form')!).backgroundColor;
        for (const field of el.shadowRoot!.querySelectorAll('input')) {
          const border = getComputedStyle(field).borderTopColor;
          expect(contrast(border, form), `${el.localName} #${field.id}: ${border} on ${form}`).to.be.at.least(3);
        }
      }
    });
  });
}

describe('seen by everyone', () => {
  afterEach(async () => {
    signOut();
  });

  it('forced colours (Windows High Contrast): the button keeps a visible border, and axe finds nothing in any state', needs('forced-colors', async () => {
    await emulateForcedColors(true);
    try {
      expect(matchMedia('(forced-colors: active)').matches, 'forced colours are on').to.equal(true);
      const user = await createUserWithPasskey();
      const el = await fixture<SendAuthLogin>(html`<sendauth-login username=${user.email}></sendauth-login>`);
      const style = getComputedStyle(button(el));
      expect(style.borderTopStyle).to.equal('solid');
      expect(parseFloat(style.borderTopWidth)).to.be.at.least(1);
      const around = getComputedStyle(part(el, 'form')!).backgroundColor;
      expect(contrast(style.borderTopColor, around), `border ${style.borderTopColor} on ${around}`).to.be.at.least(3);
      expect(await axeViolations(el), 'idle').to.deep.equal([]);

      await removeAuthenticator();
      button(el).click();
      await untilState(el, 'ceremony');
      expect(await axeViolations(el), 'ceremony').to.deep.equal([]);
      el.cancel();
      const unknown = await fixture<SendAuthLogin>(html`<sendauth-login username=${`nobody-${crypto.randomUUID()}@example.com`}></sendauth-login>`);
      await clickAndSettle(unknown);
      expect(await axeViolations(unknown), 'error').to.deep.equal([]);
    } finally {
      await emulateForcedColors(false);
    }
  }));

  it('axe finds nothing while starting (the start request on its way)', needs('webauthn', async () => {
    const user = await createUserWithPasskey();
    const el = await fixture<SendAuthLogin>(html`<sendauth-login username=${user.email}></sendauth-login>`);
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const originalFetch = window.fetch;
    window.fetch = async (...args: Parameters<typeof fetch>) => {
      await held; // the proxy is slow today
      return originalFetch(...args);
    };
    try {
      button(el).click();
      await untilState(el, 'starting');
      await el.updateComplete;
      expect(shownStatus(el)).to.equal(getStrings('en').statusStarting);
      expect(await axeViolations(el), 'starting').to.deep.equal([]);
    } finally {
      window.fetch = originalFetch;
      release();
    }
    await oneEvent(el, 'sendauth-success');
  }));

  it('English text in a page of another language is marked lang="en" and laid out left to right', async () => {
    const host = await fixture<HTMLDivElement>(html`<div lang="ar" dir="rtl"><sendauth-login></sendauth-login></div>`);
    const el = host.querySelector('sendauth-login') as SendAuthLogin;
    await el.updateComplete;
    const form = part(el, 'form')!;
    expect(form.getAttribute('lang')).to.equal('en');
    expect(form.getAttribute('dir')).to.equal('ltr');
    expect(getComputedStyle(form).direction).to.equal('ltr');
    expect(button(el).textContent?.trim()).to.equal(getStrings('en').signInButton);
    expect(await axeViolations(host)).to.deep.equal([]);
  });

  it('a registered language is marked as itself; a right-to-left one is laid out right to left', async () => {
    registerLanguage('ar', { signInButton: 'تسجيل الدخول باستخدام مفتاح المرور' });
    registerLanguage('de', de);
    const host = await fixture<HTMLDivElement>(html`
      <div>
        <div lang="ar"><sendauth-login></sendauth-login></div>
        <div lang="de-CH" dir="ltr"><sendauth-login></sendauth-login></div>
      </div>
    `);
    const [arabic, german] = [...host.querySelectorAll('sendauth-login')] as SendAuthLogin[];
    await Promise.all([arabic!.updateComplete, german!.updateComplete]);
    expect(part(arabic!, 'form')!.getAttribute('lang')).to.equal('ar');
    expect(getComputedStyle(part(arabic!, 'form')!).direction).to.equal('rtl');
    expect(button(arabic!).textContent?.trim()).to.equal('تسجيل الدخول باستخدام مفتاح المرور');
    expect(part(german!, 'form')!.getAttribute('lang')).to.equal('de');
    expect(getComputedStyle(part(german!, 'form')!).direction).to.equal('ltr');
    expect(button(german!).textContent?.trim()).to.equal(de.signInButton);
  });
});
