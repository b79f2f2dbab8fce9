/**
 * Server rendering, the browser half: what `@lit-labs/ssr` rendered in Node
 * (declarative shadow DOM, with and without `lang`) is put in the page, the
 * elements are defined after it with Lit's hydration support
 * (`@lit-labs/ssr-client`), they take over the server's DOM instead of
 * rendering anew, and a visitor signs in and signs up through them with real
 * ceremonies. The Node half is test/ssr/render.test.ts.
 */
// Before anything that loads Lit: hydration support patches LitElement as it loads.
import '@lit-labs/ssr-client/lit-element-hydrate-support.js';
import { expect, waitUntil } from '@open-wc/testing';
import type { SendAuthLogin, SendAuthRegister } from '../../../src/index.js';
import { addAuthenticator, getUser, renderOnServer, signOut } from '../support/commands.js';
import { needs } from '../support/engine.js';
import { createUserWithPasskey } from '../support/fixtures.js';
import { button, clickAndSettle, input, typeInto } from './element-helpers.js';

type Hydrated = SendAuthLogin | SendAuthRegister;

describe('server-rendered elements hydrate in the browser and work', () => {
  let container: HTMLDivElement;
  const serverForms = new Map<Element, Element | null>();

  before(async () => {
    const rendered = await renderOnServer(`
      <sendauth-login id="plain"></sendauth-login>
      <sendauth-login id="german" lang="de"></sendauth-login>
      <sendauth-register id="signup" signup></sendauth-register>
    `);
    container = document.createElement('div');
    // Declarative shadow DOM is parsed by setHTMLUnsafe (not by innerHTML).
    (container as unknown as { setHTMLUnsafe(html: string): void }).setHTMLUnsafe(rendered);
    document.body.append(container);
    for (const el of container.querySelectorAll('sendauth-login, sendauth-register')) {
      expect(el.shadowRoot, `${el.id} has the server's shadow root before any script`).to.not.equal(null);
      serverForms.set(el, el.shadowRoot!.querySelector('form'));
    }
    // The page's scripts arrive: German first, then the elements (which hydrate what is there).
    const { registerLanguage } = await import('../../../src/elements/strings.js');
    const { de } = await import('../../../src/elements/locales/de.js');
    registerLanguage('de', de);
    await import('../../../src/index.js');
    for (const el of serverForms.keys()) await (el as Hydrated).updateComplete;
  });
  after(() => {
    container.remove();
    signOut();
  });

  it('takes over the server-rendered DOM (the same nodes), with and without lang', () => {
    for (const [el, form] of serverForms) {
      expect(form, `${el.id}: the server rendered a form`).to.not.equal(null);
      expect(el.shadowRoot!.querySelector('form'), `${el.id}: hydrated, not rendered anew`).to.equal(form);
      expect(el.shadowRoot!.querySelectorAll('form'), `${el.id}: one form, not a second beside the server's`).to.have.length(1);
    }
    expect(button(container.querySelector('#plain')!).textContent?.trim()).to.equal('Sign in with a passkey');
    expect(button(container.querySelector('#german')!).textContent?.trim()).to.equal('Mit Passkey anmelden');
  });

  it('a hydrated <sendauth-login> signs in for real', needs('webauthn', async () => {
    const user = await createUserWithPasskey();
    const el = container.querySelector('#plain') as SendAuthLogin;
    typeInto(el, 'username', user.email);
    const outcome = await clickAndSettle(el);
    expect(outcome.type, JSON.stringify(outcome.detail)).to.equal('sendauth-success');
    expect((outcome.detail as { userId: string }).userId).to.equal(user.userId);
    await waitUntil(() => el.shadowRoot!.querySelector('[part~="status"]')?.textContent?.trim() === 'You are signed in.');
  }));

  it('a hydrated <sendauth-login lang="de"> signs in for real', needs('webauthn', async () => {
    const user = await createUserWithPasskey();
    const el = container.querySelector('#german') as SendAuthLogin;
    typeInto(el, 'username', user.email);
    const outcome = await clickAndSettle(el);
    expect(outcome.type, JSON.stringify(outcome.detail)).to.equal('sendauth-success');
    expect(el.shadowRoot!.querySelector('[part~="status"]')?.textContent?.trim()).to.equal('Sie sind angemeldet.');
  }));

  it('a hydrated <sendauth-register signup> signs up for real', needs('webauthn', async () => {
    await addAuthenticator();
    const el = container.querySelector('#signup') as SendAuthRegister;
    const email = `ssr-${crypto.randomUUID()}@example.com`;
    typeInto(el, 'firstName', 'Ada');
    typeInto(el, 'lastName', 'Lovelace');
    typeInto(el, 'email', email);
    expect(input(el, 'email').value).to.equal(email);
    const outcome = await clickAndSettle(el);
    expect(outcome.type, JSON.stringify(outcome.detail)).to.equal('sendauth-success');
    expect(await getUser((outcome.detail as { userId: string }).userId)).to.include({ email, hasPasskeys: true });
  }));
});
