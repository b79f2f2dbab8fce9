/**
 * SendAuth's field rules on our side, once: the element, the proxy and the
 * SendAuth client all read this module (the emulator keeps its own on purpose:
 * it plays SendAuth and checks us). Pure and browser-safe: no imports, only
 * built-ins (`URL` for IDNA).
 *
 * Limits are `openapi.yaml`'s (components/schemas/User), counted as JSON
 * Schema counts `minLength`/`maxLength`: in Unicode code points, not UTF-16
 * units (an emoji or a CJK extension B character is one).
 *
 * One form per value, so the same typed address reaches the same account from
 * every element (issue 9 §5): surrounding space trimmed (`String#trim`: every
 * Unicode space, NBSP and U+3000 included), text in NFC, and an email address
 * lower-cased with its domain in ASCII (IDNA's A-labels, `bücher.example` →
 * `xn--bcher-kva.example`, as WHATWG URL and `<input type=email>` convert it).
 * That ASCII form is what SendAuth stores: the spec says `format: email`, JSON
 * Schema's RFC 5321 address, which is ASCII (Unicode addresses are the separate
 * `idn-email` format). So an address whose part before the @ is not ASCII
 * (`jörg@…`) cannot be stored at all, and is refused with its own problem.
 */

/** `User.firstName` / `User.lastName`: 2–50 code points. */
export const NAME_LENGTH = { min: 2, max: 50 } as const;
/** `User.email`'s most, in code points (of the stored, ASCII form). */
export const EMAIL_MAX_LENGTH = 256;
/** What a visitor may type to sign in (an email or a SendAuth username), in code points. */
export const USERNAME_MAX_LENGTH = 256;

/** The spec's `format: uuid`, any case. */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID_PATTERN.test(value);
}

/** base64url (RFC 4648 §5), padding tolerated: what WebAuthn's JSON encodings use for bytes. */
export const BASE64URL_PATTERN = /^[A-Za-z0-9_-]*={0,2}$/;

/** A non-empty base64url string. */
export function isBase64url(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && BASE64URL_PATTERN.test(value);
}

/** A domain label: 1–63 characters, no leading or trailing hyphen. */
const LABEL = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
/**
 * The WHATWG "valid e-mail address" (what `<input type=email>` accepts) over
 * the ASCII form, plus a dot in the domain: `ada@localhost` is legal there but
 * never a visitor's real address, so our side refuses it as a typo.
 */
const EMAIL_ASCII = new RegExp(`^[a-z0-9.!#$%&'*+/=?^_\`{|}~-]+@${LABEL}(?:\\.${LABEL})+$`);

/** `EMAIL_ASCII` as it was exported before the rules had one home; prefer `normalizeEmail`. */
export const EMAIL_PATTERN = EMAIL_ASCII;

/** An unpaired surrogate (not text at all: it cannot be sent as UTF-8) or a control character. */
const NOT_TEXT = /[\p{Cs}\p{Cc}]/u;

/** What is wrong with one field's value. */
export type FieldProblem =
  /** Empty once surrounding space is trimmed. */
  | 'required'
  /** A name outside 2–50 code points. */
  | 'length'
  /** Over the field's most (`EMAIL_MAX_LENGTH`, `USERNAME_MAX_LENGTH`), in code points. */
  | 'too-long'
  /** Holds an unpaired surrogate or a control character (a pasted tab, a NUL). */
  | 'not-text'
  /** Not an email address at all. */
  | 'not-an-email'
  /** An email address whose part before the @ is not ASCII: the spec's `format: email` cannot store it. */
  | 'email-local-part';

/** A field's one form (what is sent and stored) and, when the value cannot be used, why. */
export interface NormalizedField {
  /** The normalised value; sent only when `problem` is absent. */
  value: string;
  problem?: FieldProblem;
}

/** Length as JSON Schema counts it: code points. */
export function codePoints(value: string): number {
  return [...value].length;
}

/** `{ value }`, with `problem` when there is one. */
function result(value: string, problem?: FieldProblem | false): NormalizedField {
  return problem ? { value, problem } : { value };
}

/** Trimmed (every Unicode space) and NFC; `required` when empty, `not-text` with a control character or an unpaired surrogate. */
function text(raw: string): NormalizedField {
  const trimmed = raw.trim();
  const value = trimmed.normalize('NFC');
  // Checked before NFC: Firefox's normalize() turns an unpaired surrogate into U+FFFD (V8 and
  // JavaScriptCore keep it), and the name would go out as "Ada�".
  return result(value, value === '' ? 'required' : NOT_TEXT.test(trimmed) && 'not-text');
}

/** `firstName` / `lastName`: trimmed, NFC, 2–50 code points. */
export function normalizeName(raw: string): NormalizedField {
  const field = text(raw);
  const n = codePoints(field.value);
  return field.problem ? field : result(field.value, (n < NAME_LENGTH.min || n > NAME_LENGTH.max) && 'length');
}

const ASCII = /^[\0-\x7f]*$/;

/** The domain in ASCII (A-labels, lower case), or `undefined` when it is no domain. */
function asciiDomain(domain: string): string | undefined {
  if (ASCII.test(domain)) return domain.toLowerCase();
  // ASCII other than letters, digits, dots and hyphens (`/`, `?`, `:`, space…) would change what URL parses.
  if (/[^\w.\-\x80-\u{10ffff}]|_/u.test(domain)) return undefined;
  try {
    // WHATWG URL's host parser is UTS #46 (IDNA) in every browser and in Node: mapping, NFC, punycode.
    return new URL(`http://${domain}/`).hostname;
  } catch {
    return undefined;
  }
}

/**
 * An email address in its one form: trimmed, NFC, lower case, the domain in
 * ASCII. Problems: `required`, `not-an-email`, `email-local-part` (a
 * non-ASCII part before the @), `too-long` (over 256 code points once in that form).
 *
 * @example normalizeEmail(' Ada@Bücher.example ') // { value: 'ada@xn--bcher-kva.example' }
 */
export function normalizeEmail(raw: string): NormalizedField {
  const field = text(raw);
  const at = field.value.lastIndexOf('@');
  const domain = at > 0 ? asciiDomain(field.value.slice(at + 1)) : undefined;
  if (field.problem === 'required') return field;
  if (field.problem || domain === undefined) return result(field.value, 'not-an-email');
  const local = field.value.slice(0, at).toLowerCase();
  const value = `${local}@${domain}`;
  // Say "not ASCII" only of an address that would be fine with an ASCII local part.
  if (!ASCII.test(local)) return result(value, /[\s@"\\]/u.test(local) || !EMAIL_ASCII.test(`x@${domain}`) ? 'not-an-email' : 'email-local-part');
  return result(value, !EMAIL_ASCII.test(value) ? 'not-an-email' : codePoints(value) > EMAIL_MAX_LENGTH && 'too-long');
}

/**
 * What a visitor typed to sign in: an email address takes its one form
 * (`normalizeEmail`), so it finds the account sign-up made; anything else (a
 * SendAuth username) is trimmed and NFC. Problems: `required`, `not-text`,
 * `too-long` (over 256 code points).
 */
export function normalizeUsername(raw: string): NormalizedField {
  const field = text(raw);
  const email = normalizeEmail(field.value);
  const value = email.problem ? field.value : email.value;
  return field.problem ? field : result(value, codePoints(value) > USERNAME_MAX_LENGTH && 'too-long');
}

/** Whether two typed addresses (or usernames) name the same account: equal in their one form, case aside. */
export function sameUsername(a: string, b: string): boolean {
  return normalizeUsername(a).value.toLowerCase() === normalizeUsername(b).value.toLowerCase();
}
