/**
 * One table of edge inputs for SendAuth's user fields, run through every
 * layer: the element's validation (in Chromium), the proxy, the SendAuth
 * client, and the emulator over HTTP (which keeps its own rules, as SendAuth
 * does). A layer that drifts from `src/field-rules.ts` fails its test.
 *
 * Each entry says what our side makes of the input: the one form it sends
 * (`value`) or the problem it refuses it for. The emulator gets the form our
 * side would send and must take it exactly when our side does, unless the
 * entry says why our side is `stricter` than the spec on purpose.
 *
 * Emails hold `{u}`, replaced by a fresh token per use (`fill`), so every
 * layer can create its own user. Pure data: the browser tests import it too.
 */
import type { FieldProblem } from '../../src/field-rules.js';

export type Expected = { value: string } | { problem: FieldProblem };

export interface FieldEdge {
  what: string;
  input: string;
  expect: Expected;
  /** Why our side refuses what the spec (and so the emulator) would store. */
  stricter?: string;
}

const ok = (value: string): Expected => ({ value });
const no = (problem: FieldProblem): Expected => ({ problem });
const same = (what: string, input: string): FieldEdge => ({ what, input, expect: ok(input) });

const EMOJI = '😀'; // 1 code point, 2 UTF-16 units
const CJK_B = '𠀀'; // U+20000, CJK Unified Ideographs Extension B: 1 code point, 2 units
const FAMILY = '👨‍👩‍👧'; // 5 code points joined by ZWJ, one grapheme
const E_ACUTE_NFD = 'e\u0301'; // 2 code points; NFC: é, 1
const Q_ACUTE = 'q\u0301'; // no precomposed form: 2 code points in NFC too

const CONTROL = 'A control character is a string to the spec, but never a typed name: a paste accident our side points out.';
const SURROGATE = 'An unpaired surrogate is not Unicode text (it cannot be sent as UTF-8); JSON can smuggle one in as an escape.';

/** `firstName` / `lastName`: 2–50 code points, trimmed, NFC. */
export const NAME_EDGES: readonly FieldEdge[] = [
  { what: '1 ASCII letter', input: 'A', expect: no('length') },
  same('2 ASCII letters', 'Al'),
  same('50 ASCII letters', 'a'.repeat(50)),
  { what: '51 ASCII letters', input: 'a'.repeat(51), expect: no('length') },
  { what: '1 emoji (2 UTF-16 units)', input: EMOJI, expect: no('length') },
  same('2 emoji', EMOJI.repeat(2)),
  same('26 emoji (52 UTF-16 units)', EMOJI.repeat(26)),
  same('50 emoji (100 UTF-16 units)', EMOJI.repeat(50)),
  { what: '51 emoji', input: EMOJI.repeat(51), expect: no('length') },
  { what: '1 CJK extension B character', input: CJK_B, expect: no('length') },
  same('2 CJK extension B characters', CJK_B.repeat(2)),
  same('50 CJK extension B characters', CJK_B.repeat(50)),
  { what: '51 CJK extension B characters', input: CJK_B.repeat(51), expect: no('length') },
  same('a ZWJ family: 5 code points, 1 grapheme', FAMILY),
  same('10 ZWJ families: 50 code points', FAMILY.repeat(10)),
  { what: '11 ZWJ families: 55 code points', input: FAMILY.repeat(11), expect: no('length') },
  { what: 'e + combining acute: 1 code point in NFC', input: E_ACUTE_NFD, expect: no('length') },
  { what: 'Zoe + combining diaeresis → Zoë', input: 'Zoe\u0308', expect: ok('Zoë') },
  { what: '50 × e + combining acute: 100 typed, 50 in NFC', input: E_ACUTE_NFD.repeat(50), expect: ok('é'.repeat(50)) },
  { what: '51 × e + combining acute: 51 in NFC', input: E_ACUTE_NFD.repeat(51), expect: no('length') },
  same('q + combining acute (no precomposed form): 2 code points', Q_ACUTE),
  same('25 × q + combining acute: 50 code points', Q_ACUTE.repeat(25)),
  { what: '26 × q + combining acute: 52 code points', input: Q_ACUTE.repeat(26), expect: no('length') },
  { what: 'surrounding ASCII spaces', input: '  Ada  ', expect: ok('Ada') },
  { what: 'surrounding NBSP, ideographic space and BOM', input: '\u00a0\u3000Ada\ufeff', expect: ok('Ada') },
  { what: 'one letter in spaces', input: ' A ', expect: no('length') },
  same('an inner space', 'Ada Mae'),
  same('an apostrophe and a hyphen', 'O’Brien-Smith'),
  { what: 'empty', input: '', expect: no('required') },
  { what: 'only spaces', input: ' \u3000 ', expect: no('required') },
  { what: 'a tab inside', input: 'Ada\tMae', expect: no('not-text'), stricter: CONTROL },
  { what: 'an unpaired surrogate', input: 'Ada\ud800', expect: no('not-text'), stricter: SURROGATE },
];

/** A fresh `{u}` token: 9 lower-case ASCII characters, so lengths below are exact. */
export function token(): string {
  return `u${crypto.randomUUID().slice(0, 8)}`;
}

export function fill(text: string, u: string): string {
  return text.replaceAll('{u}', u);
}

export function fillExpected(expect: Expected, u: string): Expected {
  return 'value' in expect ? { value: fill(expect.value, u) } : expect;
}

// '{u}' stands for 9 characters: 'a'.repeat(234) + '.' + 9 + '@example.com' (12) = 256.
const LONGEST_LOCAL = `${'a'.repeat(234)}.{u}`;

/** `email`: an RFC 5321 address (`format: email`), ≤ 256 code points; one form: lower case, ASCII domain. */
export const EMAIL_EDGES: readonly FieldEdge[] = [
  same('plain', 'ada.{u}@example.com'),
  { what: 'upper case and surrounding spaces', input: '  Ada.{u}@Example.COM ', expect: ok('ada.{u}@example.com') },
  same('a plus address', 'ada+{u}@example.com'),
  { what: 'a plus address in upper case', input: 'Ada+News.{u}@Example.com', expect: ok('ada+news.{u}@example.com') },
  { what: 'an IDN domain', input: 'ada.{u}@bücher.example', expect: ok('ada.{u}@xn--bcher-kva.example') },
  { what: 'an IDN domain in upper case', input: 'ADA.{u}@BÜCHER.EXAMPLE', expect: ok('ada.{u}@xn--bcher-kva.example') },
  { what: 'an IDN domain typed as punycode', input: 'ada.{u}@XN--BCHER-KVA.example', expect: ok('ada.{u}@xn--bcher-kva.example') },
  { what: 'an IDN domain with an ideographic full stop', input: 'ada.{u}@bücher。example', expect: ok('ada.{u}@xn--bcher-kva.example') },
  { what: 'a Japanese domain', input: 'ada.{u}@例え.テスト', expect: ok('ada.{u}@xn--r8jz45g.xn--zckzah') },
  { what: 'ß in the domain (IDNA2008: kept, not ss)', input: 'ada.{u}@faß.de', expect: ok('ada.{u}@xn--fa-hia.de') },
  { what: 'NBSP and ideographic space around', input: '\u00a0ada.{u}@example.com\u3000', expect: ok('ada.{u}@example.com') },
  { what: 'a non-ASCII local part with an IDN domain', input: 'jörg.{u}@bücher.de', expect: no('email-local-part') },
  { what: 'a non-ASCII local part', input: 'jörg.{u}@example.com', expect: no('email-local-part') },
  { what: 'no @', input: 'ada.{u}.example.com', expect: no('not-an-email') },
  { what: 'two @', input: 'ada@{u}@example.com', expect: no('not-an-email') },
  {
    what: 'no dot in the domain',
    input: 'ada.{u}@localhost',
    expect: no('not-an-email'),
    stricter: 'A dotless domain is legal but never a visitor’s real address: `ada@gmail` is a typo our side points out.',
  },
  { what: 'a space inside', input: 'ada {u}@example.com', expect: no('not-an-email') },
  { what: 'a quoted local part', input: '"ada {u}"@example.com', expect: no('not-an-email') },
  { what: 'a domain label starting with a hyphen', input: 'ada.{u}@-example.com', expect: no('not-an-email') },
  { what: 'an empty domain label', input: 'ada.{u}@example..com', expect: no('not-an-email') },
  { what: 'empty', input: '', expect: no('required') },
  same('256 code points', `${LONGEST_LOCAL}@example.com`),
  { what: '257 code points', input: `${LONGEST_LOCAL}a@example.com`, expect: no('too-long') },
  {
    what: '256 typed, 263 once the domain is ASCII',
    input: `${'a'.repeat(231)}.{u}@bücher.example`,
    expect: no('too-long'),
  },
];

/** What a visitor types to sign in: an email takes its one form; anything else is trimmed and kept. */
export const USERNAME_EDGES: readonly FieldEdge[] = [
  { what: 'an email in upper case with spaces', input: ' ADA.{u}@EXAMPLE.com ', expect: ok('ada.{u}@example.com') },
  { what: 'an email with an IDN domain', input: 'Ada.{u}@Bücher.example', expect: ok('ada.{u}@xn--bcher-kva.example') },
  { what: 'the same email typed as punycode', input: 'ada.{u}@xn--bcher-kva.EXAMPLE', expect: ok('ada.{u}@xn--bcher-kva.example') },
  { what: 'a username, not an email: trimmed, case kept', input: ' Ada_{u} ', expect: ok('Ada_{u}') },
  { what: 'an address no account can hold: trimmed, kept', input: ' Jörg.{u}@Bücher.de ', expect: ok('Jörg.{u}@Bücher.de') },
  same('256 code points', `${'a'.repeat(247)}{u}`),
  { what: '257 code points', input: `${'a'.repeat(248)}{u}`, expect: no('too-long') },
  { what: 'empty', input: '  ', expect: no('required') },
  { what: 'a tab inside', input: 'ada.{u}\t@example.com', expect: no('not-text') },
];
