import { expect, fixture, html } from '@open-wc/testing';
import '../../../src/index.js';
import { SendAuthLogin, SendAuthRegister } from '../../../src/index.js';
import { signOut } from '../support/commands.js';
import { skipUnless } from '../support/engine.js';
import { createUserWithPasskey } from '../support/fixtures.js';
import { clickAndSettle, recordEvents, shownError, shownStatus } from './element-helpers.js';

describe('defining the tags', () => {
  it('importing the package defines both tags', () => {
    expect(customElements.get('sendauth-login')?.prototype).to.be.instanceOf(SendAuthLogin);
    expect(customElements.get('sendauth-register')?.prototype).to.be.instanceOf(SendAuthRegister);
    expect(document.createElement('sendauth-login')).to.be.instanceOf(SendAuthLogin);
  });

  it('a second define of the same tag does not throw, and the same class warns not', async () => {
    const warnings: unknown[][] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => warnings.push(args);
    try {
      expect(() => SendAuthLogin.define()).to.not.throw();
      expect(() => SendAuthRegister.define()).to.not.throw();
      expect(warnings).to.deep.equal([]);
      // Another copy of the package (another class) under a taken tag: kept out, with a warning.
      class OtherCopy extends SendAuthLogin {}
      expect(() => OtherCopy.define('sendauth-login')).to.not.throw();
      expect(warnings).to.have.length(1);
      expect(String(warnings[0]?.[0])).to.contain('<sendauth-login>');
    } finally {
      console.warn = warn;
    }
  });

  it('defines under another tag', async () => {
    SendAuthLogin.define('acme-passkey-login');
    const el = await fixture<SendAuthLogin>(html`<acme-passkey-login></acme-passkey-login>`);
    expect(el).to.be.instanceOf(SendAuthLogin);
    expect(el.shadowRoot!.querySelector('button')).to.not.equal(null);
  });
});

describe('two elements on one page', () => {
  before(function () {
    return skipUnless(this, 'webauthn');
  });
  beforeEach(() => signOut());
  afterEach(() => signOut());

  it('run independently: each its own ceremony, state and events', async () => {
    const ada = await createUserWithPasskey();
    const wrapper = await fixture<HTMLDivElement>(html`
      <div>
        <sendauth-login id="broken" endpoint="/nowhere" username=${ada.email}></sendauth-login>
        <sendauth-login id="working" username=${ada.email}></sendauth-login>
      </div>
    `);
    const broken = wrapper.querySelector<SendAuthLogin>('#broken')!;
    const working = wrapper.querySelector<SendAuthLogin>('#working')!;
    const brokenEvents = recordEvents(broken);
    const workingEvents = recordEvents(working);

    const failed = await clickAndSettle(broken);
    expect(failed.type).to.equal('sendauth-error');
    expect(working.state).to.equal('idle');
    expect(workingEvents.events).to.deep.equal([]);

    const succeeded = await clickAndSettle(working);
    expect(succeeded.type).to.equal('sendauth-success');
    // The first one still shows its own error; nothing of the second leaked into it.
    expect(broken.state).to.equal('error');
    expect(shownError(broken)).to.not.equal(undefined);
    expect(shownStatus(working)).to.not.equal('');
    expect(brokenEvents.states()).to.deep.equal(['starting', 'error']);
    expect(workingEvents.states()).to.deep.equal(['starting', 'ceremony', 'verifying', 'success']);
    brokenEvents.stop();
    workingEvents.stop();
  });
});
