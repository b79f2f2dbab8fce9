import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../../src/index.js';
import {
  getStrings,
  registerLanguage,
  setStrings,
  type SendAuthLogin,
  type SendAuthRegister,
} from '../../../src/index.js';
import { de } from '../../../src/elements/locales/de.js';
import { en } from '../../../src/elements/locales/en.js';
import { fr } from '../../../src/elements/locales/fr.js';
import { it as italian } from '../../../src/elements/locales/it.js';
import type { SendAuthStrings } from '../../../src/elements/strings.js';
import { signOut } from '../support/commands.js';
import { needs } from '../support/engine.js';
import { button, clickAndSettle, part, shownError } from './element-helpers.js';

function labelText(el: Element, field: string): string | undefined {
  const label = el.shadowRoot!.querySelector(`label[for="${field}"] slot`) as HTMLSlotElement | null;
  return label?.textContent?.trim();
}

function buttonText(el: Element): string | undefined {
  return button(el).querySelector('slot')?.textContent?.trim();
}

describe('strings', () => {
  // German and French ship as their own modules; a site registers the ones it uses.
  before(() => {
    registerLanguage('de', de);
    registerLanguage('fr', fr);
  });
  beforeEach(() => signOut());

  it('lang="de" shows German labels and field messages', async () => {
    const el = await fixture<SendAuthLogin>(html`<sendauth-login lang="de"></sendauth-login>`);
    expect(labelText(el, 'username')).to.equal('E-Mail');
    expect(buttonText(el)).to.equal('Mit Passkey anmelden');
    button(el).click();
    await el.updateComplete;
    expect(part(el, 'field-error')!.textContent?.trim()).to.equal('Bitte füllen Sie dieses Feld aus.');
  });

  it('lang="de" shows German error messages', needs('webauthn', async () => {
    const el = await fixture<SendAuthLogin>(html`<sendauth-login lang="de"></sendauth-login>`);
    el.username = `niemand-${crypto.randomUUID()}@example.com`;
    const outcome = await clickAndSettle(el);
    const german = getStrings('de').errors['no-passkey'];
    expect((outcome.detail as { message: string }).message).to.equal(german);
    expect(shownError(el)).to.equal(german);
  }));

  it('`lang` behaves like the native one: the property sets the attribute, the empty default adds none', async () => {
    const el = await fixture<SendAuthLogin>(html`<sendauth-login></sendauth-login>`);
    expect(el.hasAttribute('lang')).to.equal(false);
    el.lang = 'fr';
    await el.updateComplete;
    expect(el.getAttribute('lang')).to.equal('fr');
    expect(buttonText(el)).to.equal(getStrings('fr').signInButton);
  });

  it('lang="fr" shows French labels', async () => {
    const el = await fixture<SendAuthRegister>(html`<sendauth-register signup lang="fr"></sendauth-register>`);
    expect(labelText(el, 'firstName')).to.equal('Prénom');
    expect(labelText(el, 'lastName')).to.equal('Nom');
    expect(buttonText(el)).to.equal('S’inscrire avec une clé d’accès');
  });

  it('follows the nearest ancestor’s lang, a region falls back to its language, an unknown one to English', async () => {
    const wrapper = await fixture<HTMLDivElement>(html`<div lang="de-AT"><sendauth-login></sendauth-login></div>`);
    const el = wrapper.querySelector('sendauth-login')!;
    await el.updateComplete;
    expect(buttonText(el)).to.equal('Mit Passkey anmelden');

    el.lang = 'xx';
    await el.updateComplete;
    expect(buttonText(el)).to.equal(getStrings('en').signInButton);
  });

  it('follows a `lang` changed after load, on <html> or on an ancestor', async () => {
    const root = document.documentElement;
    const original = root.getAttribute('lang');
    const el = await fixture<SendAuthLogin>(html`<sendauth-login></sendauth-login>`);
    try {
      expect(buttonText(el)).to.equal(getStrings('en').signInButton);
      root.lang = 'de';
      await waitUntil(() => buttonText(el) === 'Mit Passkey anmelden', 'German after <html lang="de">');

      el.parentElement!.setAttribute('lang', 'fr');
      await waitUntil(() => buttonText(el) === getStrings('fr').signInButton, 'French after the parent’s lang="fr"');
      el.parentElement!.removeAttribute('lang');
      await waitUntil(() => buttonText(el) === 'Mit Passkey anmelden', 'German again without the parent’s lang');
    } finally {
      if (original === null) root.removeAttribute('lang');
      else root.setAttribute('lang', original);
    }
    await waitUntil(() => buttonText(el) === getStrings('en').signInButton, 'English again');
  });

  it('inside another element’s shadow root, follows the outer host’s `lang`, also when it changes', async () => {
    const outer = await fixture<HTMLDivElement>(html`<div lang="de"></div>`);
    const inner = document.createElement('sendauth-login');
    outer.attachShadow({ mode: 'open' }).append(inner);
    await inner.updateComplete;
    expect(buttonText(inner)).to.equal('Mit Passkey anmelden');

    outer.lang = 'fr';
    await waitUntil(() => buttonText(inner) === getStrings('fr').signInButton, 'French after the host’s lang="fr"');
  });

  it('a site override with setStrings shows up, in elements already on the page too', async () => {
    const original = getStrings('en');
    const el = await fixture<SendAuthLogin>(html`<sendauth-login></sendauth-login>`);
    try {
      setStrings('en', { signInButton: 'Log in', errors: { 'no-passkey': 'No passkey here yet.' } });
      await el.updateComplete;
      expect(buttonText(el)).to.equal('Log in');
      expect(getStrings('en').errors['no-passkey']).to.equal('No passkey here yet.');
      expect(getStrings('en').errors.cancelled).to.equal(original.errors.cancelled); // the rest stays
    } finally {
      setStrings('en', original);
    }
    await el.updateComplete;
    expect(buttonText(el)).to.equal(original.signInButton);
  });

  it('registerLanguage adds a language; what it leaves out is English', async () => {
    registerLanguage('nl', { signInButton: 'Inloggen met een passkey' });
    const el = await fixture<SendAuthLogin>(html`<sendauth-login lang="nl"></sendauth-login>`);
    expect(buttonText(el)).to.equal('Inloggen met een passkey');
    expect(labelText(el, 'username')).to.equal(getStrings('en').usernameLabel);
  });

  it('registerLanguage takes a whole table as the list of its texts, in English’s key order (as the drop-in language files do)', async () => {
    registerLanguage('it', textsOf(italian));
    const el = await fixture<SendAuthLogin>(html`<sendauth-login lang="it"></sendauth-login>`);
    expect(labelText(el, 'username')).to.equal(italian.usernameLabel);
    expect(buttonText(el)).to.equal(italian.signInButton);
    button(el).click();
    await el.updateComplete;
    expect(part(el, 'field-error')!.textContent?.trim()).to.equal(italian.fieldRequired);
    expect(getStrings('it')).to.deep.equal(italian);
  });

  it('a list of another length (a language file of another version) is refused, naming the language and both counts; the text stays English', async () => {
    const texts = textsOf(italian).slice(0, -1);
    expect(() => registerLanguage('pl', texts)).to.throw(
      Error,
      `registerLanguage("pl"): ${texts.length} texts, expected ${texts.length + 1}; load the language file of the same version.`,
    );
    const el = await fixture<SendAuthLogin>(html`<sendauth-login lang="pl"></sendauth-login>`);
    expect(labelText(el, 'username')).to.equal(en.usernameLabel);
    expect(buttonText(el)).to.equal(en.signInButton);
  });

  it('labels can also be replaced through slots', async () => {
    const el = await fixture<SendAuthLogin>(html`
      <sendauth-login><span slot="label">Work email</span><span slot="button">Continue</span></sendauth-login>
    `);
    const slotted = (name: string): string =>
      (el.shadowRoot!.querySelector(`slot[name="${name}"]`) as HTMLSlotElement)
        .assignedNodes()
        .map((node) => node.textContent)
        .join('');
    expect(slotted('label')).to.equal('Work email');
    expect(slotted('button')).to.equal('Continue');
  });
});

/** A table's texts in English's key order, depth first (`errors` where English has it): the list form. */
function textsOf(table: SendAuthStrings): string[] {
  return Object.entries(en).flatMap(([key, value]) =>
    typeof value === 'string' ? [table[key as Exclude<keyof SendAuthStrings, 'errors'>]] : Object.keys(value).map((code) => table.errors[code as keyof SendAuthStrings['errors']]),
  );
}
