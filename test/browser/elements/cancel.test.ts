/**
 * How a running ceremony ends when something other than its outcome stops it:
 * another element's ceremony, `cancel()` / `reset()` / removal while the start
 * request is under way, and `cancel()` once the proxy is verifying.
 */
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import '../../../src/index.js';
import { getStrings, ProxyClient, type SendAuthLogin } from '../../../src/index.js';
import {
  addAuthenticator,
  createUser,
  removeAuthenticator,
  sessionUserId,
  signInAs,
  signOut,
  verifiedEvents,
} from '../support/commands.js';
import { skipUnless } from '../support/engine.js';
import { createUserWithPasskey } from '../support/fixtures.js';
import {
  beforeWebAuthn,
  button,
  recordEvents,
  recordRequests,
  shownError,
  shownStatus,
  untilState,
  type RecordedRequest,
} from './element-helpers.js';

const en = getStrings('en');

/** The TX ids the page cancelled at the proxy (`DELETE {endpoint}/tx/{tx}`). */
function cancelledTxs(requests: RecordedRequest[]): string[] {
  return requests.filter((r) => r.method === 'DELETE').map((r) => r.path.split('/').pop()!);
}

describe('stopping a ceremony', () => {
  // Every case here runs a ceremony, or starts one and stops it.
  before(function () {
    return skipUnless(this, 'webauthn');
  });
  beforeEach(() => signOut());
  afterEach(() => signOut());

  it('another element’s ceremony preempts this one: it goes quietly to idle, releases its TX and fires sendauth-cancel', async () => {
    const user = await createUserWithPasskey();
    await removeAuthenticator(); // the login's prompt now waits
    signInAs((await createUser()).userId);
    const wrapper = await fixture<HTMLDivElement>(html`
      <div>
        <sendauth-login username=${user.email}></sendauth-login>
        <sendauth-register></sendauth-register>
      </div>
    `);
    const login = wrapper.querySelector('sendauth-login')!;
    const register = wrapper.querySelector('sendauth-register')!;
    const recorded = recordRequests();
    const loginEvents = recordEvents(login);
    const registerEvents = recordEvents(register);
    // The register element's WebAuthn call waits here until the login's end has been checked;
    // then an authenticator is added and the call goes on to the browser. (Added while the login
    // still waited, it would answer the login in Chromium; in Firefox a waiting ceremony never
    // sees an authenticator added later.)
    let releaseRegister!: () => void;
    const registerMayGoOn = new Promise<void>((resolve) => (releaseRegister = resolve));
    let restoreWebAuthn = (): void => {};
    try {
      button(login).click();
      await untilState(login, 'ceremony');
      restoreWebAuthn = beforeWebAuthn(() => registerMayGoOn); // after the login's call: only the register's waits

      const loginEnded = Promise.race([oneEvent(login, 'sendauth-cancel'), oneEvent(login, 'sendauth-error')]);
      button(register).focus();
      button(register).click();
      await untilState(register, 'ceremony');
      await loginEnded;
      await login.updateComplete;
      await new Promise((resolve) => setTimeout(resolve, 200)); // any late error or focus move would show by now

      expect(login.state).to.equal('idle');
      expect(shownError(login)).to.equal(undefined);
      expect(register.state, 'the newer ceremony goes on').to.equal('ceremony');
      expect(login.shadowRoot!.activeElement, 'the focus stays where the visitor is').to.equal(null);
      expect(register.shadowRoot!.activeElement).to.equal(button(register));

      // The register element's prompt now finds an authenticator and completes.
      const success = oneEvent(register, 'sendauth-success');
      await addAuthenticator();
      releaseRegister();
      expect((await success).detail.kind).to.equal('registration');
    } finally {
      releaseRegister();
      restoreWebAuthn();
      recorded.restore();
      loginEvents.stop();
      registerEvents.stop();
    }
    expect(loginEvents.events).to.deep.equal([
      { type: 'sendauth-state', detail: { state: 'starting' } },
      { type: 'sendauth-state', detail: { state: 'ceremony' } },
      { type: 'sendauth-state', detail: { state: 'idle' } },
      { type: 'sendauth-cancel', detail: {} },
    ]);
    expect(registerEvents.states()).to.deep.equal(['starting', 'ceremony', 'verifying', 'success']);

    const [released, ...more] = cancelledTxs(recorded.requests);
    expect(more).to.deep.equal([]);
    await recorded.settled(); // the element does not wait for its DELETE's answer
    expect(await new ProxyClient().status(released!)).to.deep.equal({ state: 'cancelled' });
  });

  for (const stop of ['cancel', 'reset', 'remove'] as const) {
    it(`${stop} while the start request is under way: the TX it answers with is cancelled, not left pending`, async () => {
      const user = await createUserWithPasskey();
      const el = await fixture<SendAuthLogin>(html`<sendauth-login username=${user.email}></sendauth-login>`);
      const recorded = recordRequests();
      const events = recordEvents(el);
      try {
        // Right after the start request went out (a microtask later), long before its answer.
        el.addEventListener('sendauth-state', () => queueMicrotask(() => (stop === 'remove' ? el.remove() : el[stop]())), {
          once: true,
        });
        button(el).click();
        await waitUntil(() => cancelledTxs(recorded.requests).length > 0, 'the answered TX is cancelled', { timeout: 5_000 });
        await new Promise((resolve) => setTimeout(resolve, 200)); // nothing more may happen
      } finally {
        recorded.restore();
        events.stop();
      }
      expect(el.state).to.equal('idle');
      expect(recorded.requestsBeforeWebAuthn, 'no prompt for a stopped run').to.deep.equal([]);
      // Removing the element cancels its run like cancel() does, and says so (on the element: it is out of the document).
      const expected = { cancel: ['starting', 'idle', 'sendauth-cancel'], reset: ['starting', 'idle'], remove: ['starting', 'idle', 'sendauth-cancel'] };
      const seen = events.events.map((event) => (event.type === 'sendauth-state' ? event.detail.state : event.type));
      expect(seen).to.deep.equal(expected[stop]);

      // One start, one TX: the one its answer named, now cancelled at SendAuth (not pending).
      const [tx] = cancelledTxs(recorded.requests);
      expect(recorded.requests).to.deep.equal([
        { method: 'POST', path: '/sendauth/authenticate' },
        { method: 'DELETE', path: `/sendauth/tx/${tx}` },
      ]);
      await recorded.settled(); // the element does not wait for its DELETE's answer
      expect(await new ProxyClient().status(tx!)).to.deep.equal({ state: 'cancelled' });
    });
  }

  it('cancel() from a `starting` listener stops the run before its start request goes out: no TX at all', async () => {
    const el = await fixture<SendAuthLogin>(html`<sendauth-login username="nobody@example.com"></sendauth-login>`);
    const recorded = recordRequests();
    const events = recordEvents(el);
    try {
      el.addEventListener('sendauth-state', () => el.cancel(), { once: true });
      await el.start();
      await new Promise((resolve) => setTimeout(resolve, 200));
    } finally {
      recorded.restore();
      events.stop();
    }
    expect(recorded.requests).to.deep.equal([]);
    expect(events.states()).to.deep.equal(['starting', 'idle']);
  });

  it('cancel() once verifying has started is ignored: the proxy may already have signed the visitor in', async () => {
    const user = await createUserWithPasskey();
    const el = await fixture<SendAuthLogin>(html`<sendauth-login username=${user.email}></sendauth-login>`);
    const events = recordEvents(el);
    el.addEventListener('sendauth-state', (event) => {
      if (event.detail.state === 'verifying') el.cancel();
    });
    const ended = Promise.race(['sendauth-success', 'sendauth-error', 'sendauth-cancel'].map((type) => oneEvent(el, type)));
    button(el).click();
    const outcome = (await ended) as CustomEvent<{ tx?: string }>;
    await el.updateComplete;
    events.stop();

    expect(outcome.type).to.equal('sendauth-success');
    expect(events.events.map((event) => event.type)).to.not.include('sendauth-cancel');
    expect(events.states()).to.deep.equal(['starting', 'ceremony', 'verifying', 'success']);
    expect(shownStatus(el)).to.equal(en.statusSignedIn);
    expect(await verifiedEvents(outcome.detail.tx)).to.have.length(1);
    expect(sessionUserId()).to.equal(user.userId);
  });
});
