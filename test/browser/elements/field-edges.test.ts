/**
 * The shared table of field edge inputs (`test/support/field-edges.ts`)
 * through the elements in each engine: each signup field and the sign-in field
 * either shows its readable field message (and sends nothing) or sends the one
 * form the proxy, the SendAuth client and the emulator are held to in Node.
 * The engine's own NFC and IDNA (WHATWG URL) are the ones exercised here, so a
 * drift between a browser's and Node's conversion fails too (Firefox's
 * normalize() once turned an unpaired surrogate into U+FFFD).
 */
import { expect, fixture, html } from '@open-wc/testing';
import '../../../src/index.js';
import { getStrings, registerLanguage, type SendAuthLogin, type SendAuthRegister } from '../../../src/index.js';
import { de } from '../../../src/elements/locales/de.js';
import { FIELD_MESSAGES } from '../../../src/elements/field-messages.js';
import { normalizeEmail, normalizeName, normalizeUsername, type NormalizedField } from '../../../src/field-rules.js';
import { EMAIL_EDGES, fill, fillExpected, NAME_EDGES, token, USERNAME_EDGES, type FieldEdge } from '../../support/field-edges.js';
import { ENDPOINTS } from '../support/commands.js';
import { needs } from '../support/engine.js';
import { button, typeInto, untilState } from './element-helpers.js';

const en = getStrings('en');

/** Every body the page posts, by path; the request itself goes on (to a proxy whose SendAuth is down). */
function recordBodies(): { bodies: Map<string, unknown[]>; restore(): void } {
  const bodies = new Map<string, unknown[]>();
  const original = window.fetch;
  window.fetch = (resource: RequestInfo | URL, init?: RequestInit) => {
    const path = new URL(resource instanceof Request ? resource.url : String(resource), location.href).pathname;
    if (typeof init?.body === 'string') bodies.set(path, [...(bodies.get(path) ?? []), JSON.parse(init.body) as unknown]);
    return original.call(window, resource, init);
  };
  return { bodies, restore: () => void (window.fetch = original) };
}

function fieldError(el: Element, field: string): string | undefined {
  return el.shadowRoot!.querySelector(`#${field}-error`)?.textContent?.trim();
}

/** Submits and waits until the element either shows a field message (nothing sent) or has been answered. */
async function submit(el: SendAuthLogin | SendAuthRegister): Promise<void> {
  button(el).click();
  await el.updateComplete;
  await el.updateComplete;
  if (el.state !== 'idle') await untilState(el, 'error');
}

/**
 * The edges the element takes (sent in their one form) or refuses (a field message, nothing
 * sent). Refusing runs in every engine; sending needs WebAuthn, since an element checks for it
 * before any request (WebKitGTK: `not-supported`).
 */
function edgesIt(takes: boolean, edges: readonly FieldEdge[]): readonly FieldEdge[] {
  return edges.filter((edge) => 'value' in edge.expect === takes);
}

/** A test body that needs WebAuthn when it checks what is sent. */
function sending(takes: boolean, test: () => Promise<void>): Mocha.Callback {
  return takes ? needs('webauthn', test) : test;
}

describe('the field edge table in this engine', () => {
  for (const [field, edges, normalize] of [
    ['name', NAME_EDGES, normalizeName],
    ['email', EMAIL_EDGES, normalizeEmail],
    ['username', USERNAME_EDGES, normalizeUsername],
  ] as const satisfies ReadonlyArray<readonly [string, readonly FieldEdge[], (raw: string) => NormalizedField]>) {
    // This engine's own NFC, IDNA (WHATWG URL) and regular expressions, against the table.
    it(`the field rules give every ${field} edge its one form or its problem`, () => {
      for (const edge of edges) {
        const u = token();
        const expected = fillExpected(edge.expect, u);
        const got = normalize(fill(edge.input, u));
        if ('value' in expected) expect(got, edge.what).to.deep.equal({ value: expected.value });
        else expect(got.problem, edge.what).to.equal(expected.problem);
      }
    });
  }
});

describe('the field edge table through the elements', () => {
  for (const [field, allEdges] of [
    ['firstName', NAME_EDGES],
    ['lastName', NAME_EDGES],
    ['email', EMAIL_EDGES],
  ] as const satisfies ReadonlyArray<readonly [string, readonly FieldEdge[]]>) {
    for (const takes of [false, true]) {
      const edges = edgesIt(takes, allEdges);
      const what = takes ? 'takes is sent in its one form' : 'refuses shows its message, nothing sent';
      it(`<sendauth-register signup>: every ${field} edge it ${what}`, sending(takes, async () => {
        const recorded = recordBodies();
        try {
          for (const edge of edges) {
            const u = token();
            const expected = fillExpected(edge.expect, u);
            const el = await fixture<SendAuthRegister>(html`<sendauth-register signup endpoint=${ENDPOINTS.down}></sendauth-register>`);
            const values = { firstName: 'Ada', lastName: 'Lovelace', email: `plain.${u}@example.com`, [field]: fill(edge.input, u) };
            for (const [name, value] of Object.entries(values)) typeInto(el, name, value);
            recorded.bodies.clear();
            await submit(el);
            const sent = recorded.bodies.get(`${ENDPOINTS.down}/signup`);
            if ('value' in expected) {
              expect(fieldError(el, field), edge.what).to.equal(undefined);
              expect(sent, edge.what).to.have.length(1);
              expect((sent![0] as Record<string, string>)[field], edge.what).to.equal(expected.value);
            } else {
              expect(fieldError(el, field), edge.what).to.equal(en[FIELD_MESSAGES[expected.problem]]);
              expect(sent, `${edge.what}: nothing sent`).to.equal(undefined);
            }
          }
        } finally {
          recorded.restore();
        }
      }));
    }
  }

  for (const takes of [false, true]) {
    const what = takes ? 'takes is sent in its one form' : 'refuses shows its message, nothing sent';
    it(`<sendauth-login>: every username edge it ${what}`, sending(takes, async () => {
      const recorded = recordBodies();
      try {
        for (const edge of edgesIt(takes, USERNAME_EDGES)) {
          const u = token();
          const expected = fillExpected(edge.expect, u);
          const el = await fixture<SendAuthLogin>(html`<sendauth-login endpoint=${ENDPOINTS.down}></sendauth-login>`);
          typeInto(el, 'username', fill(edge.input, u));
          recorded.bodies.clear();
          await submit(el);
          const sent = recorded.bodies.get(`${ENDPOINTS.down}/authenticate`);
          if ('value' in expected) {
            expect(fieldError(el, 'username'), edge.what).to.equal(undefined);
            expect(sent, edge.what).to.deep.equal([{ username: expected.value }]);
          } else {
            expect(fieldError(el, 'username'), edge.what).to.equal(en[FIELD_MESSAGES[expected.problem]]);
            expect(sent, `${edge.what}: nothing sent`).to.equal(undefined);
          }
        }
      } finally {
        recorded.restore();
      }
    }));
  }

  it('an address SendAuth cannot store gets its own message on the field, in the page’s language', async () => {
    registerLanguage('de', de);
    for (const [lang, strings] of [['en', en], ['de', getStrings('de')]] as const) {
      const el = await fixture<SendAuthRegister>(html`<sendauth-register signup lang=${lang} endpoint=${ENDPOINTS.down}></sendauth-register>`);
      typeInto(el, 'firstName', 'Jörg');
      typeInto(el, 'lastName', 'Müller');
      typeInto(el, 'email', `jörg.${token()}@bücher.de`);
      await submit(el);
      expect(fieldError(el, 'email')).to.equal(strings.emailUnsupported);
      expect(el.shadowRoot!.querySelector('#email')!.getAttribute('aria-describedby')).to.equal('email-error');
    }
    expect(getStrings('de').emailUnsupported).to.not.equal(en.emailUnsupported);
  });
});
