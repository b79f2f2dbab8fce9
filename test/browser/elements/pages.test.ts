/**
 * The built drop-in file (`/dist/sendauth-elements.iife.js`, which the test
 * server builds fresh from the source) on plain pages in
 * `test/browser/pages/`, loaded by `<script src>`, one of them under a strict
 * CSP (`pages-middleware.ts` adds the header).
 */
import { expect, waitUntil } from '@open-wc/testing';

const DROP_IN = '/dist/sendauth-elements.iife.js';

interface PageProbe {
  violations: string[];
  errors: string[];
  warnings: string[];
}
type PageWindow = Window & typeof globalThis & { probe: PageProbe; SendAuthElements?: Record<string, unknown> };

async function openPage(name: string): Promise<{ win: PageWindow; doc: Document; frame: HTMLIFrameElement }> {
  const built = await fetch(DROP_IN, { method: 'HEAD' });
  if (!built.ok) throw new Error(`${DROP_IN} answered ${built.status}: the test server should build and serve it`);
  const frame = document.createElement('iframe');
  frame.src = `/test/browser/pages/${name}`;
  const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
  document.body.append(frame);
  await loaded;
  return { win: frame.contentWindow as PageWindow, doc: frame.contentDocument!, frame };
}

async function rendered(doc: Document, tag: string): Promise<HTMLElement & { updateComplete: Promise<boolean> }> {
  const el = doc.querySelector(tag) as (HTMLElement & { updateComplete: Promise<boolean> }) | null;
  if (!el) throw new Error(`no <${tag}> on the page`);
  await waitUntil(() => el.shadowRoot?.querySelector('button'), `<${tag}> did not render`);
  await el.updateComplete;
  return el;
}

function shadowButton(el: HTMLElement): HTMLButtonElement {
  return el.shadowRoot!.querySelector('button')!;
}

describe('pages', () => {
  let frame: HTMLIFrameElement | undefined;
  afterEach(() => frame?.remove());

  it('under a strict CSP (script-src/style-src \'self\') both elements render, style and work without a violation', async () => {
    const page = await openPage('csp.html');
    frame = page.frame;
    const { win, doc } = page;

    // The policy is really in force (eval and inline scripts are refused) and the probe hears
    // violations. Of the two, only the inline script is reported in every engine: WebKit refuses
    // eval without a securitypolicyviolation event.
    expect(() => win.eval('1')).to.throw();
    const inline = doc.createElement('script');
    inline.textContent = 'window.inlineScriptRan = true;';
    doc.body.append(inline);
    await waitUntil(() => win.probe.violations.some((violation) => violation.startsWith('script-src-elem')), 'the probe heard no violation');
    expect((win as unknown as { inlineScriptRan?: boolean }).inlineScriptRan).to.equal(undefined);
    win.probe.violations.length = 0; // those were ours

    const login = await rendered(doc, 'sendauth-login');
    const register = await rendered(doc, 'sendauth-register');
    // Styled by the constructable stylesheets: the button is not the browser's default.
    expect(win.getComputedStyle(shadowButton(login)).borderTopLeftRadius).to.not.equal('0px');
    expect(register.shadowRoot!.querySelectorAll('input')).to.have.length(3);

    // Dynamic rendering too: field messages, then a failed start with its error.
    shadowButton(register).click();
    await register.updateComplete;
    expect(register.shadowRoot!.querySelectorAll('[part~="field-error"]')).to.have.length(3);

    login.setAttribute('endpoint', '/nowhere');
    const failed = new Promise((resolve) => login.addEventListener('sendauth-error', resolve, { once: true }));
    shadowButton(login).click();
    await failed;
    await login.updateComplete;
    expect(login.shadowRoot!.querySelector('[part~="error"]')).to.not.equal(null);

    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(win.probe.violations).to.deep.equal([]);
    expect(win.probe.errors).to.deep.equal([]);
  });

  it('a plain <script src> of the drop-in file defines both elements and exposes the API', async () => {
    const page = await openPage('drop-in.html');
    frame = page.frame;
    const { win, doc } = page;

    expect(win.customElements.get('sendauth-login')).to.not.equal(undefined);
    expect(win.customElements.get('sendauth-register')).to.not.equal(undefined);
    expect(Object.keys(win.SendAuthElements ?? {})).to.include.members([
      'SendAuthLogin',
      'SendAuthRegister',
      'ProxyClient',
      'ERROR_CODES',
      'setStrings',
      'registerLanguage',
    ]);
    const login = await rendered(doc, 'sendauth-login');
    expect(shadowButton(login).textContent?.trim()).to.equal('Sign in with a passkey');
    await rendered(doc, 'sendauth-register');
    expect(win.probe.errors).to.deep.equal([]);
  });

  it('the German drop-in file after the main one turns a lang="de" page German', async () => {
    const page = await openPage('drop-in-de.html');
    frame = page.frame;
    const login = await rendered(page.doc, 'sendauth-login');
    expect(shadowButton(login).textContent?.trim()).to.equal('Mit Passkey anmelden');
    expect(page.win.probe.errors).to.deep.equal([]);
  });

  it('two copies of the drop-in file on one page: no error, a warning, the first copy keeps working', async () => {
    const page = await openPage('drop-in-twice.html');
    frame = page.frame;
    const { win, doc } = page;

    expect(win.probe.errors).to.deep.equal([]);
    expect(win.probe.warnings.join('\n')).to.contain('<sendauth-login>');
    const login = await rendered(doc, 'sendauth-login');
    expect(shadowButton(login).textContent?.trim()).to.equal('Sign in with a passkey');
  });
});
