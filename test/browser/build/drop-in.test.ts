/**
 * The drop-in file as a site uses it: a classic `<script src>` (built fresh
 * by the test server's bundle plugin), nothing else imported, then a real
 * sign-in through the proxy and the emulator.
 */
import { expect } from '@open-wc/testing';
import { ERROR_CODES, ERROR_REGISTRY } from '../../../src/error-codes.js';
import { signOut } from '../support/commands.js';
import { needs } from '../support/engine.js';
import { createUserWithPasskey } from '../support/fixtures.js';

function loadScript(src: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = src;
    script.onload = () => resolve();
    script.onerror = () => reject(new Error(`could not load ${src}`));
    document.head.append(script);
  });
}

interface DropInElement extends HTMLElement {
  start(): void | Promise<void>;
}

describe('the drop-in script (sendauth-elements.iife.js)', () => {
  before(async () => {
    expect(customElements.get('sendauth-login'), 'nothing defined before the script').to.equal(undefined);
    await loadScript('/dist/sendauth-elements.iife.js');
  });
  afterEach(() => signOut());

  it('defines both elements and one global, and loading it twice does not throw', async () => {
    expect(customElements.get('sendauth-login')).to.be.a('function');
    expect(customElements.get('sendauth-register')).to.be.a('function');
    // Compared by keys: the global is a module namespace object (toStringTag "Module"), and an
    // assertion that fails on it would hand WTR a huge object graph to serialize.
    const global = (window as unknown as { SendAuthElements?: Record<string, unknown> }).SendAuthElements;
    expect(typeof global).to.equal('object');
    expect(Object.keys(global ?? {})).to.include.members(['SendAuthLogin', 'SendAuthRegister', 'ProxyClient']);
    const errors: string[] = [];
    const onError = (event: ErrorEvent): void => void errors.push(event.message);
    window.addEventListener('error', onError);
    await loadScript(`/dist/sendauth-elements.iife.js?again`);
    window.removeEventListener('error', onError);
    expect(errors).to.deep.equal([]);
  });

  it('carries every element, and the registry’s status and retryable of every code (its server-side facts left out)', () => {
    expect(customElements.get('sendauth-approve')).to.be.a('function');
    const global = (window as unknown as { SendAuthElements: Record<string, unknown> }).SendAuthElements;
    const expected = Object.fromEntries(ERROR_CODES.map((code) => [code, { status: ERROR_REGISTRY[code].status, retryable: ERROR_REGISTRY[code].retryable }]));
    expect(JSON.parse(JSON.stringify(global.ERROR_REGISTRY))).to.deep.equal(expected);
    expect(global.ERROR_CODES).to.deep.equal(ERROR_CODES);
    expect(global.RETRYABLE).to.deep.equal(Object.fromEntries(ERROR_CODES.map((code) => [code, ERROR_REGISTRY[code].retryable])));
    expect((global.isRetryable as (code: string) => boolean)('tx-denied')).to.equal(true);
    expect((global.isErrorCode as (value: unknown) => boolean)('nope')).to.equal(false);
  });

  it('signs a user in with a passkey, end to end', needs('webauthn', async () => {
    const user = await createUserWithPasskey();
    const element = document.createElement('sendauth-login') as DropInElement;
    element.setAttribute('user-id', user.userId);
    document.body.append(element);
    try {
      const success = new Promise<CustomEvent<{ kind: string; userId: string; tx: string }>>((resolve, reject) => {
        element.addEventListener('sendauth-success', (event) => resolve(event as CustomEvent<{ kind: string; userId: string; tx: string }>));
        element.addEventListener('sendauth-error', (event) => reject(new Error(JSON.stringify((event as CustomEvent).detail))));
      });
      await customElements.whenDefined('sendauth-login');
      await element.start();
      const { detail } = await success;
      expect(detail.kind).to.equal('authentication');
      expect(detail.userId).to.equal(user.userId);
      expect(detail.tx).to.be.a('string');
    } finally {
      element.remove();
    }
  }));
});
