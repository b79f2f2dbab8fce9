/**
 * One address, one account (issue 9 §5), in every engine with WebAuthn, against the real proxy
 * and emulator, typed with the real keyboard: sign up in `<sendauth-register
 * signup>` with a Unicode domain, then sign in from `<sendauth-login>` with
 * the Unicode form, the punycode form, other case and surrounding spaces:
 * every time the same account. (Both fields are text with an email keyboard:
 * Chromium's type=email converted the domain while it was typed, and moved
 * the caret, so a typed IDN address came out scrambled.)
 */
import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../../src/index.js';
import type { SendAuthLogin, SendAuthRegister } from '../../../src/index.js';
import { addAuthenticator, getUser, sessionUserId, signOut } from '../support/commands.js';
import { skipUnless } from '../support/engine.js';
import { clickAndSettle, input } from './element-helpers.js';

/** Types into a field with the keyboard, as a visitor does. */
async function typeWithKeyboard(el: Element, id: string, text: string): Promise<void> {
  const field = input(el, id);
  field.focus();
  field.select();
  await sendKeys({ type: text });
}

describe('one address, one account, from every element', () => {
  before(function () {
    return skipUnless(this, 'webauthn');
  });
  beforeEach(() => signOut());
  afterEach(() => signOut());

  it('signed up as Ada.x@Bücher.example, signs in as the Unicode form, the punycode form, in capitals, with spaces', async () => {
    await addAuthenticator();
    const u = `u${crypto.randomUUID().slice(0, 8)}`;
    const signup = await fixture<SendAuthRegister>(html`<sendauth-register signup></sendauth-register>`);
    await typeWithKeyboard(signup, 'firstName', 'Ada');
    await typeWithKeyboard(signup, 'lastName', 'Lovelace');
    await typeWithKeyboard(signup, 'email', `Ada.${u}@Bücher.example`);
    const signedUp = await clickAndSettle(signup);
    expect(signedUp.type, JSON.stringify(signedUp.detail)).to.equal('sendauth-success');
    const { userId } = signedUp.detail as { userId: string };
    expect((await getUser(userId)).email).to.equal(`ada.${u}@xn--bcher-kva.example`);

    for (const typed of [`ada.${u}@bücher.example`, `ada.${u}@xn--bcher-kva.example`, `  ADA.${u}@BÜCHER.EXAMPLE  `, ` Ada.${u}@XN--BCHER-KVA.Example`]) {
      signOut();
      const login = await fixture<SendAuthLogin>(html`<sendauth-login></sendauth-login>`);
      await typeWithKeyboard(login, 'username', typed);
      const signedIn = await clickAndSettle(login);
      expect(signedIn.type, `${typed}: ${JSON.stringify(signedIn.detail)}`).to.equal('sendauth-success');
      expect((signedIn.detail as { userId: string }).userId, typed).to.equal(userId);
      expect(sessionUserId()).to.equal(userId);
    }
  });

  it('the same address in another spelling cannot sign up a second account', async () => {
    await addAuthenticator();
    const u = `u${crypto.randomUUID().slice(0, 8)}`;
    const first = await fixture<SendAuthRegister>(html`<sendauth-register signup></sendauth-register>`);
    await typeWithKeyboard(first, 'firstName', 'Ada');
    await typeWithKeyboard(first, 'lastName', 'Lovelace');
    await typeWithKeyboard(first, 'email', `ada.${u}@xn--bcher-kva.example`);
    expect((await clickAndSettle(first)).type).to.equal('sendauth-success');
    signOut();

    const second = await fixture<SendAuthRegister>(html`<sendauth-register signup></sendauth-register>`);
    await typeWithKeyboard(second, 'firstName', 'Ada');
    await typeWithKeyboard(second, 'lastName', 'Lovelace');
    await typeWithKeyboard(second, 'email', `ADA.${u}@Bücher.example`);
    const refused = await clickAndSettle(second);
    expect(refused.type).to.equal('sendauth-error');
    expect((refused.detail as { code: string }).code).to.equal('already-exists');
  });
});
