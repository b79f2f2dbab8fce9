/**
 * Leaving, coming back, moving. Leaving the page mid-ceremony (a link, a
 * closed tab: `pagehide`) releases the TX at once with a keepalive request;
 * a page restored from the back/forward cache shows a fresh element, not
 * the last visit's outcome; moving a connected element in the DOM mid-ceremony
 * (`append` elsewhere, `moveBefore`, into a `<dialog>`) does not stop it; and
 * every change of state fires `sendauth-state` (and `sendauth-cancel` when
 * the run was cancelled). The page-level cases run in a second top-level page
 * driven from outside (`page-plugin.ts`), through the real drop-in file,
 * proxy and emulator.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../../src/index.js';
import { getStrings, ProxyClient, type SendAuthLogin } from '../../../src/index.js';
import { openDrivenPage, signOut, type DrivenPage } from '../support/commands.js';
import { engine, needs, skipFor } from '../support/engine.js';
import { createUserWithPasskey } from '../support/fixtures.js';
import { beforeWebAuthn, button, clickAndSettle, recordEvents, shownStatus } from './element-helpers.js';

const en = getStrings('en');
const LIFECYCLE_PAGE = '/test/browser/pages/lifecycle.html';

/** In the driven page: a sign-in whose prompt never settles, started; resolves to its TX once the element is in `ceremony`. */
const START_HELD_SIGN_IN = (email: string): string => `
  await customElements.whenDefined('sendauth-login');
  navigator.credentials.get = () => new Promise(() => {}); // the visitor is still in the prompt
  const el = document.querySelector('sendauth-login');
  el.username = ${JSON.stringify(email)};
  el.start();
  while (el.state !== 'ceremony') await new Promise((resolve) => setTimeout(resolve, 20));
  return window.lifecycle.requests.find((request) => request.url.endsWith('/authenticate')).answer.tx;
`;

async function txState(tx: string): Promise<string> {
  return (await new ProxyClient().status(tx)).state;
}

describe('leaving the page mid-ceremony releases its TX (pagehide, keepalive)', () => {
  let page: DrivenPage | undefined;
  afterEach(async () => {
    await page?.close();
    page = undefined;
  });

  for (const leave of ['a link to another page', 'closing the tab'] as const) {
    it(`${leave}: the TX is cancelled now, not left pending for five minutes`, needs('driven-page', async () => {
      const user = await createUserWithPasskey();
      page = await openDrivenPage();
      await page.goto(LIFECYCLE_PAGE);
      const tx = await page.run<string>(START_HELD_SIGN_IN(user.email));
      expect(await txState(tx)).to.equal('pending');

      if (leave === 'closing the tab') {
        await page.close();
        page = undefined;
      } else {
        await page.run(`document.getElementById('away').click();`);
      }
      await waitUntil(async () => (await txState(tx)) === 'cancelled', 'the TX was released', { timeout: 5_000 });
    }));
  }

  it('the cancel is a keepalive request, and the element said so before the page went (idle, sendauth-cancel)', needs('bfcache', async () => {
    const user = await createUserWithPasskey();
    page = await openDrivenPage();
    await page.goto(LIFECYCLE_PAGE);
    const tx = await page.run<string>(START_HELD_SIGN_IN(user.email));
    // Leaving into the back/forward cache keeps the page's state for us to read afterwards.
    await page.goto('/test/browser/pages/blank.html');
    await page.back();
    const seen = await page.run<{ requests: Array<{ method: string; url: string; keepalive: boolean }>; events: string[] }>(
      'return { requests: window.lifecycle.requests.map(({ method, url, keepalive }) => ({ method, url, keepalive })), events: window.lifecycle.events };',
    );
    const cancel = seen.requests.find((request) => request.method === 'DELETE');
    expect(cancel, JSON.stringify(seen.requests)).to.deep.include({ keepalive: true });
    expect(cancel!.url).to.match(new RegExp(`/tx/${tx}$`));
    expect(seen.events.slice(0, 4)).to.deep.equal(['starting', 'ceremony', 'idle', 'sendauth-cancel']);
    expect(await txState(tx)).to.equal('cancelled');
  }));
});

describe('coming back through the back/forward cache', () => {
  let page: DrivenPage | undefined;
  afterEach(async () => {
    await page?.close();
    page = undefined;
  });

  it('a page restored from the cache shows a fresh element, not a stale "Your passkey is ready."', needs('bfcache', async () => {
    page = await openDrivenPage({ authenticator: true });
    await page.goto(LIFECYCLE_PAGE);
    const email = `bfcache-${crypto.randomUUID()}@example.com`;
    const status = await page.run<string>(`
      await customElements.whenDefined('sendauth-register');
      const el = document.querySelector('sendauth-register');
      await el.updateComplete;
      for (const [id, value] of [['firstName', 'Ada'], ['lastName', 'Lovelace'], ['email', ${JSON.stringify(email)}]]) {
        el.shadowRoot.getElementById(id).value = value;
      }
      await el.start();
      await el.updateComplete;
      return el.state + ': ' + el.shadowRoot.querySelector('[part~="status"]').textContent.trim();
    `);
    expect(status).to.equal(`success: ${en.statusRegistered}`);

    await page.goto('/test/browser/pages/blank.html');
    await page.back();
    const restored = await page.run<{ transitions: string[]; state: string; status: string; events: string[] }>(`
      const el = document.querySelector('sendauth-register');
      await el.updateComplete;
      return {
        transitions: window.lifecycle.transitions,
        state: el.state,
        status: el.shadowRoot.querySelector('[part~="status"]').textContent.trim(),
        events: window.lifecycle.events,
      };
    `);
    expect(restored.transitions, 'the page really came from the back/forward cache').to.include('pageshow persisted');
    expect(restored.state).to.equal('idle');
    expect(restored.status).to.equal('');
    // The change back to idle was announced like any other.
    expect(restored.events.slice(-3)).to.deep.equal(['success', 'sendauth-success', 'idle']);
  }));
});

describe('moving a connected element mid-ceremony does not stop it', () => {
  afterEach(() => signOut());

  const moves: Record<string, (el: HTMLElement) => void> = {
    'append elsewhere': (el) => document.body.append(el),
    'into a modal <dialog>': (el) => {
      const dialog = document.createElement('dialog');
      document.body.append(dialog);
      dialog.append(el);
      dialog.showModal();
    },
    moveBefore: (el) => {
      const target = document.createElement('div');
      document.body.append(target);
      (target as unknown as { moveBefore(node: Node, child: Node | null): void }).moveBefore(el, null);
    },
  };

  for (const [name, move] of Object.entries(moves)) {
    it(`${name}: the ceremony goes on and signs in; no idle, no sendauth-cancel on the way`, needs('webauthn', async function (this: Mocha.Context) {
      if (name === 'moveBefore' && !('moveBefore' in Element.prototype)) {
        await skipFor(this, `${engine.label} has no Element.prototype.moveBefore`);
      }
      const user = await createUserWithPasskey();
      const holder = await fixture<HTMLDivElement>(html`<div><sendauth-login></sendauth-login></div>`);
      const el = holder.querySelector('sendauth-login') as SendAuthLogin;
      el.username = user.email;
      const events = recordEvents(el);
      // Moved while the prompt is about to open: the run is in `ceremony`.
      const restore = beforeWebAuthn(async () => {
        expect(el.state).to.equal('ceremony');
        move(el);
        await new Promise((resolve) => setTimeout(resolve, 50));
      });
      let outcome;
      try {
        outcome = await clickAndSettle(el);
      } finally {
        restore();
        events.stop();
        el.closest('dialog')?.remove();
        el.remove();
      }
      expect(outcome.type, JSON.stringify(outcome.detail)).to.equal('sendauth-success');
      expect(events.states()).to.deep.equal(['starting', 'ceremony', 'verifying', 'success']);
      expect(events.events.map((event) => event.type)).to.not.include('sendauth-cancel');
    }));
  }

  it('removed and not put back: the run stops, says so (idle, sendauth-cancel) and its TX is released', needs('webauthn', async () => {
    const user = await createUserWithPasskey();
    const el = await fixture<SendAuthLogin>(html`<sendauth-login username=${user.email}></sendauth-login>`);
    const events = recordEvents(el);
    let tx = '';
    const originalFetch = window.fetch;
    window.fetch = async (resource, init) => {
      const response = await originalFetch(resource, init);
      if (String(resource).endsWith('/authenticate')) tx = ((await response.clone().json()) as { tx: string }).tx;
      return response;
    };
    const restore = beforeWebAuthn(async () => {
      el.remove();
      await new Promise(() => {}); // the prompt never settles: only the removal ends this run
    });
    try {
      button(el).click();
      await waitUntil(() => el.state === 'idle' && tx !== '', 'the removal stopped the run', { timeout: 5_000 });
    } finally {
      restore();
      window.fetch = originalFetch;
      events.stop();
    }
    expect(events.states()).to.deep.equal(['starting', 'ceremony', 'idle']);
    expect(events.events.at(-1)?.type).to.equal('sendauth-cancel');
    await waitUntil(async () => (await txState(tx)) === 'cancelled', 'the TX was released', { timeout: 5_000 });
    expect(shownStatus(el)).to.equal(en.statusCancelled);
  }));
});
