import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../../src/index.js';
import { getStrings, ProxyClient, type SendAuthLogin } from '../../../src/index.js';
import { removeAuthenticator, sessionUserId, signOut, verifiedEvents } from '../support/commands.js';
import { needs } from '../support/engine.js';
import { createUserWithPasskey } from '../support/fixtures.js';
import {
  button,
  clickAndSettle,
  input,
  part,
  recordEvents,
  recordRequests,
  recordUnhandledRejections,
  shownError,
  shownStatus,
  typeInto,
  untilState,
} from './element-helpers.js';

const en = getStrings('en');

describe('<sendauth-login>', () => {
  beforeEach(() => signOut());
  afterEach(() => signOut());

  it('signs in with the username field, submitted with Enter, through the real proxy and emulator', needs('webauthn', async () => {
    const user = await createUserWithPasskey();
    const el = await fixture<SendAuthLogin>(html`<sendauth-login></sendauth-login>`);
    const recorded = recordEvents();

    typeInto(el, 'username', user.email);
    const success = oneEvent(el, 'sendauth-success');
    await sendKeys({ press: 'Enter' });
    const { detail } = await success;
    await el.updateComplete;
    recorded.stop();

    expect(detail).to.deep.equal({ kind: 'authentication', tx: detail.tx, userId: user.userId });
    expect(detail.tx).to.match(/^[0-9a-f-]{36}$/);
    expect(recorded.states()).to.deep.equal(['starting', 'ceremony', 'verifying', 'success']);
    expect(recorded.events.map((event) => event.type)).to.deep.equal([
      'sendauth-state',
      'sendauth-state',
      'sendauth-state',
      'sendauth-state',
      'sendauth-success',
    ]);
    expect(shownStatus(el)).to.equal(en.statusSignedIn);
    expect(shownError(el)).to.equal(undefined);
    // The proxy verified it with SendAuth and opened the site session.
    expect(await verifiedEvents(detail.tx)).to.have.length(1);
    expect(sessionUserId()).to.equal(user.userId);
  }));

  it('signs in a known user id without showing the username field', needs('webauthn', async () => {
    const user = await createUserWithPasskey();
    const el = await fixture<SendAuthLogin>(html`<sendauth-login user-id=${user.userId}></sendauth-login>`);
    expect(el.shadowRoot!.querySelector('input')).to.equal(null);

    const outcome = await clickAndSettle(el);

    expect(outcome).to.deep.equal({
      type: 'sendauth-success',
      detail: { kind: 'authentication', tx: (outcome.detail as { tx: string }).tx, userId: user.userId },
    });
    expect(el.state).to.equal('success');
  }));

  it('makes exactly one request between the click and the WebAuthn call', needs('webauthn', async () => {
    const user = await createUserWithPasskey();
    const el = await fixture<SendAuthLogin>(html`<sendauth-login username=${user.email}></sendauth-login>`);
    const recorded = recordRequests();
    try {
      const outcome = await clickAndSettle(el);
      expect(outcome.type, JSON.stringify(outcome)).to.equal('sendauth-success');
    } finally {
      recorded.restore();
    }
    expect(recorded.requestsBeforeWebAuthn).to.deep.equal([1]);
    expect(recorded.requests.map((r) => `${r.method} ${r.path.replace(/tx\/[^/]+/, 'tx/:tx')}`)).to.deep.equal([
      'POST /sendauth/authenticate',
      'POST /sendauth/tx/:tx/verify',
    ]);
  }));

  it('prefills the field from `username` and keeps the property in step with typing', async () => {
    const el = await fixture<SendAuthLogin>(html`<sendauth-login username="ada@example.com"></sendauth-login>`);
    expect(input(el, 'username').value).to.equal('ada@example.com');
    // Not `username webauthn`: that token promises conditional mediation (passkey autofill), which the element does not start.
    expect(input(el, 'username').getAttribute('autocomplete')).to.equal('username');
    typeInto(el, 'username', 'grace@example.com');
    expect(el.username).to.equal('grace@example.com');
  });

  it('asks for a username instead of sending an empty one', async () => {
    const el = await fixture<SendAuthLogin>(html`<sendauth-login></sendauth-login>`);
    const recorded = recordRequests();
    const events = recordEvents(el);
    try {
      button(el).click();
      await el.updateComplete;
    } finally {
      recorded.restore();
      events.stop();
    }
    expect(recorded.requests).to.deep.equal([]);
    expect(events.events).to.deep.equal([]);
    expect(part(el, 'field-error')?.textContent?.trim()).to.equal(en.fieldRequired);
    expect(input(el, 'username').getAttribute('aria-invalid')).to.equal('true');
    expect(input(el, 'username').getAttribute('aria-describedby')).to.equal('username-error');
    expect(el.shadowRoot!.activeElement).to.equal(input(el, 'username'));

    typeInto(el, 'username', 'a');
    await el.updateComplete;
    expect(part(el, 'field-error')).to.equal(null);
  });

  it('ignores a second click while busy: one TX only', needs('webauthn', async () => {
    const user = await createUserWithPasskey();
    const el = await fixture<SendAuthLogin>(html`<sendauth-login username=${user.email}></sendauth-login>`);
    const recorded = recordRequests();
    const events = recordEvents(el);
    try {
      const success = oneEvent(el, 'sendauth-success');
      button(el).click();
      await el.updateComplete;
      expect(button(el).getAttribute('aria-disabled')).to.equal('true');
      expect(button(el).getAttribute('aria-busy')).to.equal('true');
      expect(part(el, 'form')!.hasAttribute('aria-busy'), 'a busy form would hold back its live status').to.equal(false);
      button(el).click();
      void el.start();
      await success;
    } finally {
      recorded.restore();
      events.stop();
    }
    expect(events.states().filter((state) => state === 'starting')).to.have.length(1);
    expect(recorded.requests.filter((r) => r.path === '/sendauth/authenticate')).to.have.length(1);
    expect(events.events.filter((event) => event.type === 'sendauth-success')).to.have.length(1);
    await el.updateComplete;
    expect(button(el).getAttribute('aria-disabled')).to.equal('false');
    expect(button(el).getAttribute('aria-busy')).to.equal('false');
  }));

  it('typing after an error clears it: back to idle, no other event', needs('webauthn', async () => {
    const el = await fixture<SendAuthLogin>(html`<sendauth-login username=${`nobody-${crypto.randomUUID()}@example.com`}></sendauth-login>`);
    const failed = await clickAndSettle(el);
    expect(failed.type).to.equal('sendauth-error');
    expect(shownError(el)).to.equal(en.errors['no-passkey']);

    const events = recordEvents(el);
    typeInto(el, 'username', 'someone-else@example.com');
    await el.updateComplete;
    typeInto(el, 'username', 'someone-else@example.co');
    await el.updateComplete;
    events.stop();
    expect(events.events).to.deep.equal([{ type: 'sendauth-state', detail: { state: 'idle' } }]);
    expect(el.state).to.equal('idle');
    expect(part(el, 'error')).to.equal(null);
    expect(el.shadowRoot!.activeElement).to.equal(input(el, 'username'));
  }));

  it('cancel() mid-ceremony aborts it, cancels the TX at the proxy, fires sendauth-cancel and goes back to idle', needs('webauthn', async () => {
    const user = await createUserWithPasskey();
    await removeAuthenticator(); // the prompt now waits: the ceremony hangs
    const el = await fixture<SendAuthLogin>(html`<sendauth-login username=${user.email}></sendauth-login>`);
    const recorded = recordRequests();
    const events = recordEvents(el);
    try {
      button(el).click();
      await untilState(el, 'ceremony');
      const cancelled = oneEvent(el, 'sendauth-cancel');
      el.cancel();
      const { detail } = await cancelled;
      expect(detail).to.deep.equal({});
      await el.updateComplete;
      // Let the DELETE go out and any late settling happen.
      await new Promise((resolve) => setTimeout(resolve, 300));
    } finally {
      recorded.restore();
      events.stop();
    }
    expect(el.state).to.equal('idle');
    expect(events.states()).to.deep.equal(['starting', 'ceremony', 'idle']);
    expect(events.events.map((event) => event.type)).to.not.include('sendauth-error');
    expect(shownStatus(el)).to.equal(en.statusCancelled);
    expect(button(el).getAttribute('aria-disabled')).to.equal('false');

    const cancel = recorded.requests.find((r) => r.method === 'DELETE');
    expect(cancel?.path).to.match(/^\/sendauth\/tx\/[0-9a-f-]{36}$/);
    const tx = cancel!.path.split('/').pop()!;
    await recorded.settled(); // the element does not wait for its DELETE's answer
    expect(await new ProxyClient().status(tx)).to.deep.equal({ state: 'cancelled' });
  }));

  it('removing the element mid-ceremony aborts it and says so on the element (idle, sendauth-cancel), no unhandled rejection', needs('webauthn', async () => {
    const user = await createUserWithPasskey();
    await removeAuthenticator();
    const el = await fixture<SendAuthLogin>(html`<sendauth-login username=${user.email}></sendauth-login>`);
    const rejections = recordUnhandledRejections();
    const recorded = recordRequests();
    const events = recordEvents(el);
    try {
      button(el).click();
      await untilState(el, 'ceremony');
      const before = events.events.length;
      el.remove();
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(events.events.slice(before)).to.deep.equal([
        { type: 'sendauth-state', detail: { state: 'idle' } },
        { type: 'sendauth-cancel', detail: {} },
      ]);
    } finally {
      recorded.restore();
      events.stop();
      rejections.stop();
    }
    expect(rejections.reasons).to.deep.equal([]);
    expect(el.state).to.equal('idle');
    // The TX it left behind was cancelled at the proxy.
    expect(recorded.requests.filter((r) => r.method === 'DELETE')).to.have.length(1);

    // Put back, it is idle and ready, not stuck showing a spinner.
    document.body.append(el);
    await el.updateComplete;
    expect(button(el).getAttribute('aria-disabled')).to.equal('false');
    expect(shownStatus(el)).to.equal(en.statusCancelled);
    el.remove();
  }));

  it('ends a ceremony that never settles at the client-side deadline with `timeout`, and can try again', needs('webauthn', async () => {
    const user = await createUserWithPasskey();
    await removeAuthenticator();
    const el = await fixture<SendAuthLogin>(html`<sendauth-login username=${user.email} timeout="800"></sendauth-login>`);

    const outcome = await clickAndSettle(el);

    expect(outcome).to.deep.equal({
      type: 'sendauth-error',
      detail: { code: 'timeout', message: en.errors.timeout, retryable: true },
    });
    expect(shownError(el)).to.equal(en.errors.timeout);
    expect(el.shadowRoot!.activeElement).to.equal(part(el, 'error'));

    // The error is not the end: the next click starts again.
    const states = recordEvents(el);
    button(el).click();
    await untilState(el, 'ceremony');
    states.stop();
    expect(states.states()).to.deep.equal(['starting', 'ceremony']);
    expect(shownError(el)).to.equal(undefined);

    // reset() ends it too, quietly: back to idle, no sendauth-cancel.
    const afterReset = recordEvents(el);
    el.reset();
    await el.updateComplete;
    afterReset.stop();
    expect(afterReset.events).to.deep.equal([{ type: 'sendauth-state', detail: { state: 'idle' } }]);
    expect(el.state).to.equal('idle');
    expect(shownStatus(el)).to.equal('');
  }));
});
