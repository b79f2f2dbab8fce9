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
import { LANGUAGES } from '../support/languages.js';

function loadScript(src: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = src;
    script.onload = () => resolve();
    script.onerror = () => reject(new Error(`could not load ${src}`));
    document.head.append(script);
  });
}

/** What a language file reaches for on the drop-in file's global. */
interface DropInGlobal {
  getStrings(lang: string): unknown;
}

interface DropInElement extends HTMLElement {
  start(): void | Promise<void>;
}

describe('the drop-in script (sendauth-elements.iife.js)', () => {
  before(async function () {
    this.timeout(90_000); // the first request for /dist builds the bundle with Vite (bundle-middleware.ts)
    expect(customElements.get('sendauth-login'), 'nothing defined before the script').to.equal(undefined);
    await loadScript('/dist/sendauth-elements.iife.js');
  });
  afterEach(() => signOut());

  it('defines both elements and one global, and loading it twice does not throw', async () => {
    expect(customElements.get('sendauth-login')).to.be.a('function');
    expect(customElements.get('sendauth-register')).to.be.a('function');
    // Compared by keys: an assertion that fails on the global itself would hand WTR a huge object
    // graph (every class and table) to serialize.
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

  it('each language file, loaded after it, registers its whole table: a page in that language shows it', async () => {
    const files = LANGUAGES.filter(([tag]) => tag !== 'en').map(([tag]) => `/dist/sendauth-elements.${tag.toLowerCase()}.js`);
    const frame = await dropInFrame(['/dist/sendauth-elements.iife.js', ...files]);
    try {
      const inFrame = frame.contentWindow as unknown as { document: Document; SendAuthElements: DropInGlobal };
      for (const [tag, table] of LANGUAGES) {
        expect(JSON.parse(JSON.stringify(inFrame.SendAuthElements.getStrings(tag))), tag).to.deep.equal(table);
        const element = inFrame.document.createElement('sendauth-login') as HTMLElement & { updateComplete: Promise<unknown> };
        element.lang = tag;
        inFrame.document.body.append(element);
        await element.updateComplete;
        expect(element.shadowRoot!.querySelector('[part~="button"]')!.textContent!.trim(), tag).to.equal(table.signInButton);
      }
    } finally {
      frame.remove();
    }
  });

  it('a language file reads right on a page in another encoding (Shift_JIS), served without a charset', async () => {
    const frame = await dropInFrame(['/dist/sendauth-elements.iife.js', '/dist/sendauth-elements.ja.js'], 'shift_jis');
    try {
      const inFrame = frame.contentWindow as unknown as { document: Document; SendAuthElements?: DropInGlobal };
      expect(inFrame.document.characterSet).to.equal('Shift_JIS');
      const ja = LANGUAGES.find(([tag]) => tag === 'ja')![1];
      expect(JSON.parse(JSON.stringify(inFrame.SendAuthElements?.getStrings('ja') ?? null))).to.deep.equal(ja);
    } finally {
      frame.remove();
    }
  });

  it('a language file of another version (one text fewer) is refused with an error that says so, and the page stays English', async () => {
    // The German file as a version with one key fewer would have built it: the same call, a shorter list.
    const built = await (await fetch('/dist/sendauth-elements.de.js')).text();
    const [, call, list] = /^\uFEFF?(.*?\()("de",\[.*\])\)$/s.exec(built) ?? [];
    expect(call, 'the German file is one call').to.equal('SendAuthElements.registerLanguage(');
    const texts = JSON.parse(`[${list}]`)[1] as string[];
    const older = `\uFEFF${call}"de",${JSON.stringify(texts.slice(1))})`;
    const frame = await dropInFrame(['/dist/sendauth-elements.iife.js', { text: older }]);
    try {
      const inFrame = frame.contentWindow as unknown as { document: Document; SendAuthElements: DropInGlobal; errors: string[] };
      expect(inFrame.errors).to.have.length(1);
      expect(inFrame.errors[0]).to.include(
        `registerLanguage("de"): ${texts.length - 1} texts, expected ${texts.length}; load the language file of the same version.`,
      );
      const en = LANGUAGES.find(([tag]) => tag === 'en')![1];
      expect(JSON.parse(JSON.stringify(inFrame.SendAuthElements.getStrings('de')))).to.deep.equal(en);
      const element = inFrame.document.createElement('sendauth-login') as HTMLElement & { updateComplete: Promise<unknown> };
      element.lang = 'de';
      inFrame.document.body.append(element);
      await element.updateComplete;
      expect(element.shadowRoot!.querySelector('[part~="button"]')!.textContent!.trim()).to.equal(en.signInButton);
    } finally {
      frame.remove();
    }
  });

  it('a language file loaded twice (a page and a widget both add it) registers its table once more, with no error', async () => {
    const frame = await dropInFrame(['/dist/sendauth-elements.iife.js', '/dist/sendauth-elements.ja.js', '/dist/sendauth-elements.ja.js']);
    try {
      const inFrame = frame.contentWindow as unknown as { document: Document; SendAuthElements: DropInGlobal; errors: string[] };
      expect(inFrame.errors).to.deep.equal([]);
      const ja = LANGUAGES.find(([tag]) => tag === 'ja')![1];
      expect(JSON.parse(JSON.stringify(inFrame.SendAuthElements.getStrings('ja')))).to.deep.equal(ja);
    } finally {
      frame.remove();
    }
  });

  it('a language file before the main one stops at once, naming the global it needs', async () => {
    const frame = await dropInFrame(['/dist/sendauth-elements.fr.js']);
    try {
      const inFrame = frame.contentWindow as unknown as { errors: string[]; SendAuthElements?: unknown };
      expect(inFrame.errors).to.have.length(1);
      // "SendAuthElements is not defined" (Chromium, Firefox), "Can't find variable: SendAuthElements" (WebKit).
      expect(inFrame.errors[0]).to.match(/SendAuthElements/);
      expect(inFrame.SendAuthElements).to.equal(undefined);
    } finally {
      frame.remove();
    }
  });
});

/**
 * A fresh page in an iframe (its own copy of everything, in `charset`) that loads `scripts` as classic
 * scripts, in order: each a path on the test server, or a script's text. The scripts are Blob URLs,
 * which carry no charset: a script is then read in the page's encoding, unless a byte order mark says
 * otherwise. The page's uncaught errors are in its `errors` (their messages).
 */
async function dropInFrame(scripts: Array<string | { text: string }>, charset = 'utf-8'): Promise<HTMLIFrameElement> {
  const urls = await Promise.all(
    scripts.map(async (script) => {
      const bytes = typeof script === 'string' ? await (await fetch(script)).arrayBuffer() : new TextEncoder().encode(script.text);
      return URL.createObjectURL(new Blob([bytes], { type: 'text/javascript' }));
    }),
  );
  const recordErrors = '<script>window.errors = []; addEventListener("error", (event) => errors.push(event.message));</script>';
  const page = `<!doctype html><meta charset="${charset}"><body>${recordErrors}${urls.map((url) => `<script src="${url}"></script>`).join('')}</body>`;
  const frame = document.createElement('iframe');
  const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
  frame.src = URL.createObjectURL(new Blob([page], { type: 'text/html' }));
  document.body.append(frame);
  await loaded;
  return frame;
}
