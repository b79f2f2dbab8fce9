/**
 * The twelve languages in the elements: each tag finds its table, and every
 * text an element shows fits it at 320 px in every language — idle, each
 * field message, each error message, each status — reached as a visitor
 * reaches them (typed values, a proxy answer, a real ceremony held at each
 * step). Arabic lays the element out right to left.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../../src/index.js';
import { ERROR_CODES, ERROR_REGISTRY, getStrings, registerLanguage, type ErrorCode, type SendAuthApprove, type SendAuthLogin, type SendAuthRegister } from '../../../src/index.js';
import { APPROVAL_ENDPOINTS, approvalOutbox, forgetDevices, resetApprovalClock, respondOnDevice, startDevices } from '../support/approval-commands.js';
import { addAuthenticator, createUser, signInAs, signOut } from '../support/commands.js';
import { needs } from '../support/engine.js';
import { createUserWithPasskey } from '../support/fixtures.js';
import { beforeWebAuthn, button, part, shownError, shownStatus, typeInto, untilState, type SendAuthElement } from './element-helpers.js';
import { LANGUAGES, overflowProblems, registerEveryLanguage } from './language-fit.js';

const WIDTH = 320;

/** Each language in turn on `el` as it is now: what does not fit, per language. */
async function misfits(el: SendAuthElement, what: string): Promise<string[]> {
  const problems: string[] = [];
  for (const [tag] of LANGUAGES) {
    el.lang = tag;
    await el.updateComplete;
    for (const problem of overflowProblems(el, WIDTH)) problems.push(`${what}, ${tag}: ${problem}`);
  }
  el.lang = 'en';
  await el.updateComplete;
  return problems;
}

async function at320<T extends SendAuthElement>(template: ReturnType<typeof html>): Promise<T> {
  const wrapper = await fixture<HTMLDivElement>(html`<div style="width: ${WIDTH}px">${template}</div>`);
  const el = wrapper.firstElementChild as T;
  await el.updateComplete;
  return el;
}

/**
 * Makes the proxy's answer to `POST {endpoint}/<endpoint>` what `answer` says — a response, or
 * `'hold'` (no answer until the request is aborted) — and lets every other request through.
 */
function answerStart(endpoint: string, answer: () => Response | 'hold'): () => void {
  const original = window.fetch;
  window.fetch = (resource: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(resource instanceof Request ? resource.url : String(resource), location.href);
    if (!url.pathname.endsWith(`/${endpoint}`)) return original.call(window, resource, init);
    const result = answer();
    if (result !== 'hold') return Promise.resolve(result);
    return new Promise<Response>((_, reject) => {
      init?.signal?.addEventListener('abort', () => reject(init.signal!.reason), { once: true });
    });
  };
  return () => {
    window.fetch = original;
  };
}

/**
 * In an engine without WebAuthn (WebKitGTK) every start ends at once in `not-supported`, before any
 * request. These tests measure text, not ceremonies: there, the page is given the two names the
 * element looks for, so the proxy's answers (each error, a held start) reach the element too. No
 * ceremony runs: each start is answered before one could begin. Returns the undo.
 */
function lookLikeWebAuthn(): () => void {
  if (typeof window.PublicKeyCredential === 'function') return () => {};
  const unused = (): never => {
    throw new Error('no ceremony runs in these tests');
  };
  Object.defineProperty(window, 'PublicKeyCredential', { value: unused, configurable: true });
  Object.defineProperty(navigator, 'credentials', { value: { create: unused, get: unused }, configurable: true });
  return () => {
    Reflect.deleteProperty(window, 'PublicKeyCredential');
    Reflect.deleteProperty(navigator, 'credentials');
  };
}

function errorAnswer(code: ErrorCode): Response {
  const status = ERROR_REGISTRY[code].status || 400;
  return new Response(JSON.stringify({ error: { code, message: `test: ${code}` } }), { status, headers: { 'content-type': 'application/json' } });
}

/** Every error message on `el`, each reached through the proxy's answer to the start, in every language. */
async function errorMisfits(el: SendAuthElement, endpoint: string): Promise<string[]> {
  const problems: string[] = [];
  let code: ErrorCode = ERROR_CODES[0]!;
  const restore = answerStart(endpoint, () => errorAnswer(code));
  const restoreWebAuthn = lookLikeWebAuthn();
  try {
    for (code of ERROR_CODES) {
      button(el).click();
      await untilState(el, 'error', `the error ${code}`);
      await el.updateComplete;
      expect(shownError(el)).to.equal(getStrings('en').errors[code]);
      problems.push(...(await misfits(el, `error ${code}`)));
      el.reset();
    }
  } finally {
    restore();
    restoreWebAuthn();
  }
  return problems;
}

/**
 * A 429 with `Retry-After`: the button and the status count down (`retryButton`, `retryIn`), and
 * once the wait is over the status says so (`retryNow`); each in every language.
 */
async function retryMisfits(el: SendAuthElement, endpoint: string): Promise<string[]> {
  const restore = answerStart(endpoint, () => {
    const answer = errorAnswer('rate-limited');
    answer.headers.set('retry-after', '6');
    return answer;
  });
  const restoreWebAuthn = lookLikeWebAuthn();
  const strings = getStrings('en');
  const counting = new RegExp(`^${strings.retryIn.replace('{time}', '\\d+:\\d\\d').replace('.', '\\.')}$`);
  try {
    button(el).click();
    await untilState(el, 'error');
    await el.updateComplete;
    expect(shownStatus(el)).to.match(counting);
    // Every language while the 6 s count down (the check takes a fraction of that, also in WebKit on a
    // loaded machine), then after them.
    const problems = await misfits(el, 'waiting after a 429');
    expect(shownStatus(el), 'still counting').to.match(counting);
    await waitUntil(() => shownStatus(el) === strings.retryNow, 'the wait is over', { timeout: 9_000 });
    problems.push(...(await misfits(el, 'after the wait')));
    el.reset();
    return problems;
  } finally {
    restore();
    restoreWebAuthn();
  }
}

/** `starting` (the proxy holds its answer) and then `Cancelled.`, in every language. */
async function startingMisfits(el: SendAuthElement, endpoint: string): Promise<string[]> {
  const restore = answerStart(endpoint, () => 'hold');
  const restoreWebAuthn = lookLikeWebAuthn();
  try {
    button(el).click();
    await untilState(el, 'starting');
    const problems = await misfits(el, 'starting');
    el.cancel();
    await el.updateComplete;
    expect(shownStatus(el)).to.equal(getStrings('en').statusCancelled);
    return [...problems, ...(await misfits(el, 'cancelled'))];
  } finally {
    restore();
    restoreWebAuthn();
  }
}

/**
 * A real ceremony held at each step — the browser's prompt (`ceremony`), the proxy's check
 * (`verifying`) — and then its success, each in every language.
 */
async function ceremonyMisfits(el: SendAuthElement): Promise<string[]> {
  const problems: string[] = [];
  let releasePrompt!: () => void;
  const promptHeld = new Promise<void>((resolve) => (releasePrompt = resolve));
  const restoreWebAuthn = beforeWebAuthn(() => promptHeld);
  let releaseVerify!: () => void;
  const verifyHeld = new Promise<void>((resolve) => (releaseVerify = resolve));
  const original = window.fetch;
  window.fetch = async (resource: RequestInfo | URL, init?: RequestInit) => {
    if (String(resource instanceof Request ? resource.url : resource).endsWith('/verify')) await verifyHeld;
    return original.call(window, resource, init);
  };
  try {
    button(el).click();
    await untilState(el, 'ceremony');
    problems.push(...(await misfits(el, 'ceremony')));
    releasePrompt();
    await untilState(el, 'verifying');
    problems.push(...(await misfits(el, 'verifying')));
    releaseVerify();
    await untilState(el, 'success');
    problems.push(...(await misfits(el, 'success')));
  } finally {
    releasePrompt();
    releaseVerify();
    restoreWebAuthn();
    window.fetch = original;
  }
  return problems;
}

describe('languages', () => {
  before(registerEveryLanguage);
  beforeEach(() => signOut());

  it('each tag finds its table: exact, any case, a region of a shipped language, a script of Chinese', async () => {
    const el = await at320<SendAuthLogin>(html`<sendauth-login></sendauth-login>`);
    const shown = async (tag: string): Promise<string> => {
      el.lang = tag;
      await el.updateComplete;
      return button(el).textContent!.trim();
    };
    for (const [tag, table] of LANGUAGES) expect(await shown(tag), tag).to.equal(table.signInButton);
    const table = (tag: string): string => LANGUAGES.find(([shipped]) => shipped === tag)![1].signInButton;
    expect(await shown('pt-br')).to.equal(table('pt-BR'));
    expect(await shown('pt'), 'Portuguese gets the Brazilian table').to.equal(table('pt-BR'));
    expect(await shown('pt-PT'), 'so does Portugal’s').to.equal(table('pt-BR'));
    for (const simplified of ['zh', 'zh-CN', 'zh-SG', 'zh-Hans-CN']) expect(await shown(simplified), simplified).to.equal(table('zh-Hans'));
    for (const traditional of ['zh-TW', 'zh-HK', 'zh-Hant']) expect(await shown(traditional), `${traditional}: no Simplified Chinese`).to.equal(table('en'));
    expect(await shown('es-MX')).to.equal(table('es'));
    expect(await shown('ar-EG')).to.equal(table('ar'));
    // The form says which table it shows.
    el.lang = 'zh-CN';
    await el.updateComplete;
    expect(part(el, 'form')!.lang).to.equal('zh-hans');
  });

  describe(`fits ${WIDTH} px in every language`, () => {
    it('<sendauth-login>: idle, each field message, each error, the wait after a 429, starting, cancelled', async function () {
      this.timeout(60_000); // every language in many states, and a 6 s wait after a 429
      const el = await at320<SendAuthLogin>(html`<sendauth-login></sendauth-login>`);
      const problems = await misfits(el, 'idle');
      // The field messages a sign-in name can get: empty, control characters, too long.
      for (const [value, message] of [
        ['', 'fieldRequired'],
        ['a\tb@example.com', 'fieldCharacters'],
        [`${'x'.repeat(300)}@example.com`, 'emailTooLong'],
      ] as const) {
        typeInto(el, 'username', value);
        button(el).click();
        await el.updateComplete;
        expect(part(el, 'field-error')?.textContent?.trim(), message).to.equal(getStrings('en')[message]);
        problems.push(...(await misfits(el, message)));
      }
      typeInto(el, 'username', 'someone@example.com');
      problems.push(...(await errorMisfits(el, 'authenticate')));
      problems.push(...(await retryMisfits(el, 'authenticate')));
      problems.push(...(await startingMisfits(el, 'authenticate')));
      expect(problems).to.deep.equal([]);
    });

    it('<sendauth-register signup>: idle, each field message, each error, the wait after a 429, starting, cancelled', async function () {
      this.timeout(60_000); // every language in many states, and a 6 s wait after a 429
      const el = await at320<SendAuthRegister>(html`<sendauth-register signup></sendauth-register>`);
      const problems = await misfits(el, 'idle');
      const fill = (firstName: string, lastName: string, email: string): void => {
        typeInto(el, 'firstName', firstName);
        typeInto(el, 'lastName', lastName);
        typeInto(el, 'email', email);
      };
      // Every field message at once where it can be, so each one shows beside the others.
      for (const [values, what] of [
        [['', '', ''], 'every field required'],
        [['a', 'x'.repeat(51), 'not-an-email'], 'fieldLength, emailInvalid'],
        [['a\tb', 'B', `${'x'.repeat(300)}@example.com`], 'fieldCharacters, emailTooLong'],
        [['Ann', 'Lee', 'jürgen@example.com'], 'emailUnsupported'],
      ] as const) {
        fill(values[0], values[1], values[2]);
        button(el).click();
        await el.updateComplete;
        expect(part(el, 'field-error'), what).to.not.equal(null);
        problems.push(...(await misfits(el, what)));
      }
      fill('Ann', 'Lee', 'ann.lee@example.com');
      problems.push(...(await errorMisfits(el, 'signup')));
      problems.push(...(await retryMisfits(el, 'signup')));
      problems.push(...(await startingMisfits(el, 'signup')));
      expect(problems).to.deep.equal([]);
    });

    it('<sendauth-register> (the signed-in user): idle, each error', async () => {
      const el = await at320<SendAuthRegister>(html`<sendauth-register></sendauth-register>`);
      const problems = [...(await misfits(el, 'idle')), ...(await errorMisfits(el, 'register'))];
      expect(problems).to.deep.equal([]);
    });

    it('<sendauth-login>: a real sign-in held in the prompt, then in verifying, then signed in', needs('webauthn', async () => {
      const user = await createUserWithPasskey();
      const el = await at320<SendAuthLogin>(html`<sendauth-login username=${user.email}></sendauth-login>`);
      expect(await ceremonyMisfits(el)).to.deep.equal([]);
    }));

    it('approval on another device: sign-up’s link, sign-in’s request with its code, denied with “Send again”, a step-up’s message, the countdown, cancelled', async function () {
      this.timeout(60_000); // every language in each state of two approvals
      await startDevices(); // where no approval test ran before this one in this engine
      const approval = APPROVAL_ENDPOINTS.approval;
      // Where the engine has WebAuthn, the proxy answers approval by itself; else "Use another device".
      const begin = (el: SendAuthLogin | SendAuthRegister): void => part(el, typeof window.PublicKeyCredential === 'function' ? 'button' : 'secondary')!.click();
      const problems: string[] = [];
      try {
        const signup = await at320<SendAuthRegister>(html`<sendauth-register signup endpoint=${approval}></sendauth-register>`);
        const email = `fit-${crypto.randomUUID()}@example.com`;
        typeInto(signup, 'firstName', 'Grace');
        typeInto(signup, 'lastName', 'Hopper');
        typeInto(signup, 'email', email);
        begin(signup);
        await untilState(signup, 'waiting');
        expect(part(signup, 'timer'), 'the countdown shows').to.not.equal(null);
        problems.push(...(await misfits(signup, 'waiting for sign-up’s link')));
        const { tx, userId } = (await approvalOutbox()).find((entry) => entry.email === email)!;
        await respondOnDevice(tx, 'approve');
        await untilState(signup, 'success');
        problems.push(...(await misfits(signup, 'signed up')));

        signOut();
        const login = await at320<SendAuthLogin>(html`<sendauth-login endpoint=${approval} username=${email}></sendauth-login>`);
        begin(login);
        await untilState(login, 'waiting');
        problems.push(...(await misfits(login, 'waiting for sign-in’s approval')));
        const request = (await approvalOutbox()).find((entry) => entry.userId === userId && entry.tx !== tx)!;
        await respondOnDevice(request.tx, 'deny');
        await untilState(login, 'error');
        expect(button(login).textContent?.trim(), 'Send again').to.equal(getStrings('en').sendAgainButton);
        problems.push(...(await misfits(login, 'denied')));

        signInAs(userId);
        const stepUp = await at320<SendAuthApprove>(
          html`<sendauth-approve endpoint=${approval} message="Pay €1,250.00 to Müller &amp; Söhne Gebäudereinigung GmbH, invoice RE-2026-004711"></sendauth-approve>`,
        );
        problems.push(...(await misfits(stepUp, 'a step-up’s message')));
        part(stepUp, 'button')!.click();
        await untilState(stepUp, 'waiting');
        problems.push(...(await misfits(stepUp, 'waiting for a step-up')));
        stepUp.cancel();
        await stepUp.updateComplete;
        problems.push(...(await misfits(stepUp, 'step-up cancelled')));
      } finally {
        signOut();
        await resetApprovalClock();
        await forgetDevices();
      }
      expect(problems).to.deep.equal([]);
    });

    it('<sendauth-register>: a real registration held in the prompt, then in verifying, then ready', needs('webauthn', async () => {
      await addAuthenticator();
      signInAs((await createUser()).userId);
      const el = await at320<SendAuthRegister>(html`<sendauth-register></sendauth-register>`);
      expect(await ceremonyMisfits(el)).to.deep.equal([]);
    }));
  });
});

describe('right to left', () => {
  before(registerEveryLanguage);
  beforeEach(() => signOut());

  /** The left and right edges of `element`'s box, in px. */
  const edges = (element: Element): { left: number; right: number } => element.getBoundingClientRect();
  const field = (el: Element, id: string): Element => el.shadowRoot!.querySelector(`#${id}`)!.closest('.field')!;

  it('Arabic lays the element out right to left: text, the name fields’ order, the error’s edge; addresses stay left to right', async () => {
    // Wide enough for first and last name side by side.
    const wrapper = await fixture<HTMLDivElement>(html`<div style="width: 384px"><sendauth-register signup lang="ar"></sendauth-register></div>`);
    const el = wrapper.firstElementChild as SendAuthRegister;
    await el.updateComplete;
    const form = part(el, 'form')!;
    expect([form.lang, form.dir, getComputedStyle(form).direction]).to.deep.equal(['ar', 'rtl', 'rtl']);
    expect(edges(field(el, 'firstName')).left, 'the first name is on the right').to.be.greaterThan(edges(field(el, 'lastName')).right);
    const label = el.shadowRoot!.querySelector('label[for="email"]')!;
    const email = el.shadowRoot!.querySelector<HTMLInputElement>('#email')!;
    const labelText = document.createRange();
    labelText.selectNodeContents(label);
    expect(Math.abs(labelText.getBoundingClientRect().right - edges(email).right), 'the label starts at the right').to.be.below(1);
    expect(getComputedStyle(email).direction, 'an email address is written left to right').to.equal('ltr');
    expect(getComputedStyle(el.shadowRoot!.querySelector('#firstName')!).direction, 'a name follows the form').to.equal('rtl');

    const restore = answerStart('signup', () => errorAnswer('network'));
    const restoreWebAuthn = lookLikeWebAuthn();
    try {
      typeInto(el, 'firstName', 'ليلى');
      typeInto(el, 'lastName', 'حداد');
      typeInto(el, 'email', 'layla@example.com');
      button(el).click();
      await untilState(el, 'error');
    } finally {
      restore();
      restoreWebAuthn();
    }
    await el.updateComplete;
    const error = getComputedStyle(part(el, 'error')!);
    expect(shownError(el)).to.equal(getStrings('ar').errors.network);
    expect([error.borderRightWidth, error.borderLeftWidth], 'the error’s bar is on its start side: the right').to.deep.equal(['3px', '0px']);
  });

  it('Arabic puts the spinner at the start of the button (its right) with its gap mirrored; English on the left', async () => {
    const spinnerSide = async (lang: string): Promise<{ spinnerRight: boolean; gapColor: [string, string] }> => {
      const el = await at320<SendAuthLogin>(html`<sendauth-login lang=${lang} username="someone@example.com"></sendauth-login>`);
      const restore = answerStart('authenticate', () => 'hold');
      const restoreWebAuthn = lookLikeWebAuthn();
      try {
        button(el).click();
        await untilState(el, 'starting');
        await el.updateComplete;
        const spinner = el.shadowRoot!.querySelector('.spinner')!;
        const label = button(el).querySelector('slot')!;
        const text = document.createRange();
        text.selectNodeContents(label);
        const style = getComputedStyle(spinner);
        return {
          spinnerRight: edges(spinner).left >= text.getBoundingClientRect().right,
          gapColor: [style.borderLeftColor, style.borderRightColor],
        };
      } finally {
        el.cancel();
        restore();
        restoreWebAuthn();
      }
    };
    const transparent = 'rgba(0, 0, 0, 0)';
    const arabic = await spinnerSide('ar');
    expect(arabic.spinnerRight).to.equal(true);
    expect(arabic.gapColor[0], 'the gap (its end side) on the left').to.equal(transparent);
    expect(arabic.gapColor[1]).to.not.equal(transparent);
    const english = await spinnerSide('en');
    expect(english.spinnerRight).to.equal(false);
    expect(english.gapColor[1]).to.equal(transparent);
  });

  it('a right-to-left page with no table of its language shows English, marked lang="en" and left to right; once registered, right to left', async () => {
    const wrapper = await fixture<HTMLDivElement>(html`<div lang="he" dir="rtl" style="width: ${WIDTH}px"><sendauth-login></sendauth-login></div>`);
    const el = wrapper.firstElementChild as SendAuthLogin;
    await el.updateComplete;
    const form = part(el, 'form')!;
    expect(button(el).textContent!.trim()).to.equal(getStrings('en').signInButton);
    expect([form.lang, form.dir, getComputedStyle(form).direction]).to.deep.equal(['en', 'ltr', 'ltr']);

    // Hebrew is not shipped; a site adds it, and its direction comes from its script.
    registerLanguage('he', { signInButton: 'כניסה עם מפתח גישה' });
    await el.updateComplete;
    expect(button(el).textContent!.trim()).to.equal('כניסה עם מפתח גישה');
    expect([form.lang, form.dir, getComputedStyle(form).direction]).to.deep.equal(['he', 'rtl', 'rtl']);
  });
});
