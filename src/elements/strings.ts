/**
 * The strings table: every text the elements show, per language. English is
 * built in; the other languages ship as their own modules in `locales/`
 * (Shoelace's way: a page pays only for the languages it uses, which keeps the
 * drop-in file in its size budget) and are added with `registerLanguage`. A
 * site overrides any string with `setStrings`. Elements re-render when a table
 * changes. Which table a page's `lang` gets, and which way it is written, is
 * decided here too (`resolveLanguage`, `languageAndScript`).
 */
import type { ErrorCode } from '../error-codes.js';
import { en } from './locales/en.js';

export interface SendAuthStrings {
  /** Label of `<sendauth-login>`'s username field. */
  usernameLabel: string;
  firstNameLabel: string;
  lastNameLabel: string;
  /** Label of `<sendauth-register signup>`'s email field. */
  emailLabel: string;
  signInButton: string;
  registerButton: string;
  signupButton: string;
  /** `<sendauth-approve>`'s button. */
  approveButton: string;
  /** Asks for approval on the user's own device (their passkey is not in this browser). */
  anotherDeviceButton: string;
  /** The button after an approval was denied or expired. */
  sendAgainButton: string;
  /** Cancels a request that waits for the user's approval. */
  cancelButton: string;
  /** Announced while waiting for a sign-in or step-up approval; `{to}` is where it went, `{code}` the code. */
  waitingSent: string;
  /** Announced while waiting for a passkey to be created on the user's device; `{to}`, `{code}` as above. */
  waitingLink: string;
  /** `{to}` when SendAuth does not say where the request went. */
  waitingSomewhere: string;
  /** The visible countdown; `{time}` is m:ss. */
  timeLeft: string;
  /** Announced once a minute while waiting; `{n}` is the minutes left, rounded up. */
  minutesLeft: string;
  /** Announced while the element asks the server for a transaction. */
  statusStarting: string;
  /** Announced while the browser's passkey prompt is open. */
  statusCeremony: string;
  /** Announced while the server checks the passkey response. */
  statusVerifying: string;
  statusSignedIn: string;
  statusRegistered: string;
  /** `<sendauth-approve>` on success. */
  statusApproved: string;
  statusCancelled: string;
  /** Field messages of the client-side validation. */
  fieldRequired: string;
  fieldLength: string;
  emailInvalid: string;
  /** A field holding control characters (a pasted tab) or broken text. */
  fieldCharacters: string;
  /** An email address (or sign-in name) over 256 characters. */
  emailTooLong: string;
  /** An email address whose part before the @ is not ASCII: SendAuth cannot store it. */
  emailUnsupported: string;
  /** After a 429, while waiting: `{time}` is the time left as m:ss, e.g. "0:42". */
  retryIn: string;
  /** After a 429, once the wait is over. */
  retryNow: string;
  /** The button while waiting after a 429: `{time}` is the time left as m:ss, e.g. "0:42". */
  retryButton: string;
  /** `rp-mismatch` on a page opened by IP address (127.0.0.1, [::1]), where passkeys never work. */
  rpMismatchIp: string;
  /** The readable message shown (and sent in `sendauth-error`) per error code. */
  errors: Record<ErrorCode, string>;
}

/** Any part of a table; what is left out falls back to the language's current table, then English. */
export type SendAuthStringsOverride = Partial<Omit<SendAuthStrings, 'errors'>> & {
  errors?: Partial<Record<ErrorCode, string>>;
};

const tables = new Map<string, SendAuthStrings>([['en', en]]);
const listeners = new Set<() => void>();

/** Defined (as `true`) only in the build of the self-contained browser files (`vite.config.ts`). */
declare const __SENDAUTH_SELF_CONTAINED__: boolean | undefined;
/**
 * Whether `setStrings` and `registerLanguage` check what they are given (`check`): everywhere but in
 * the self-contained browser files, where the checks (about 250 bytes gzip) would not fit the
 * drop-in's size budget. A list of the wrong length is refused everywhere.
 */
const CHECKED = typeof __SENDAUTH_SELF_CONTAINED__ == 'undefined';

/**
 * Throws a TypeError that names `caller`, the language and the first thing wrong with `lang` and
 * `strings`, if anything is: a language that is no non-empty string; a list with an entry that is
 * no string (for `registerLanguage`); a table with a key English's table does not have, a text that
 * is no string, or `errors` that is no table (`misfit`); anything else.
 */
function check(caller: 'setStrings' | 'registerLanguage', lang: unknown, strings: unknown): void {
  const list = caller == 'registerLanguage' && Array.isArray(strings);
  const texts: readonly unknown[] = list ? strings : [];
  const odd = texts.findIndex((text) => typeof text != 'string');
  const problem =
    typeof lang != 'string' || !lang.trim()
      ? 'the language must be a BCP 47 tag such as "de" or "pt-BR"'
      : odd >= 0
        ? `entry ${odd} of the list is ${describeValue(texts[odd])}, not a string`
        : list
          ? undefined // its length is checked as it is read
          : isTable(strings)
            ? misfit(strings, en, '')
            : `the strings are ${describeValue(strings)}, not a table of texts${caller == 'setStrings' ? '' : " (or a list of every text, in English's key order)"}`;
  if (problem) throw new TypeError(`${caller}(${JSON.stringify(lang)}): ${problem}.`);
}

const isTable = (value: unknown): value is object => typeof value == 'object' && value !== null && !Array.isArray(value);

/** A value that is not what was wanted, as an error says it: `a number (42)`, `an array`, `null`. */
const describeValue = (value: unknown): string =>
  value == null ? String(value) : Array.isArray(value) ? 'an array' : typeof value == 'object' ? 'an object' : `a ${typeof value}${typeof value == 'number' ? ` (${value})` : ''}`;

/** What of `table` (a part of a table, at the key path `at`) English's part `shape` does not take: the first key found. */
function misfit(table: object, shape: object, at: string): string | undefined {
  for (const [key, value] of Object.entries(table)) {
    const wanted = (shape as Record<string, unknown>)[key];
    const place = at + key;
    const problem = !Object.hasOwn(shape, key)
      ? isTable(value)
        ? 'is not one of the keys of the strings: pass the table itself, not an object (or module) that holds it'
        : 'is not one of the keys of the strings (a typo of another key?)'
      : typeof wanted == 'string'
        ? typeof value != 'string' && `is ${describeValue(value)}, not a string`
        : !isTable(value) && `is ${describeValue(value)}, not a table of the error codes’ texts`;
    if (problem) return `${place} ${problem}`;
    const inner = typeof wanted == 'object' && misfit(value as object, wanted as object, `${place}.`);
    if (inner) return inner;
  }
}

/** Sets `lang`'s table to `base` with `override` on top, and tells every listener. */
function put(lang: string, override: SendAuthStringsOverride, base?: SendAuthStrings): void {
  const key = normalize(lang);
  base ??= tables.get(key) ?? en;
  tables.set(key, { ...base, ...override, errors: { ...base.errors, ...override.errors } });
  for (const listener of listeners) listener();
}

function normalize(lang: string): string {
  return lang.trim().toLowerCase();
}

/**
 * Overrides some strings of a language (`'en'`, or one registered). Setting strings for a language not known yet adds it, on top of English.
 *
 * @example setStrings('en', { signInButton: 'Log in', errors: { 'no-passkey': 'Create a passkey first.' } })
 * @throws {TypeError} for a language that is no non-empty string, or strings that are no part of a
 * table (a key English's table does not have, a text that is no string): the message names the
 * language and the key; nothing changes. (Not checked in the self-contained browser files.)
 */
export function setStrings(lang: string, strings: SendAuthStringsOverride): void {
  if (CHECKED) check('setStrings', lang, strings);
  put(lang, strings);
}

/**
 * Adds (or replaces) a whole language. Strings it leaves out are shown in English.
 *
 * `strings` is a table (or any part of one), or the texts of a whole table as a list, which is how
 * the drop-in language files (`sendauth-elements.<lang>.js`) carry them: every text, in the order
 * English's table (`@sendauth/elements/locales/en`) writes its keys, depth first (the `errors`
 * texts in their place among them), as `JSON.stringify` writes them. A list names no key, so it
 * fits only the version of the package it was made for.
 *
 * @example
 * import { de } from '@sendauth/elements/locales/de';
 * registerLanguage('de', de);
 * @example registerLanguage('de', ['E-Mail', 'Vorname', 'Nachname', …]) // every text of the table, in English's key order
 * @throws {TypeError} for a language that is no non-empty string; a list with an entry that is no
 * string (the message names the entry); a table with a key English's table does not have, or a text
 * that is no string (the message names the key); anything else that is no table. (Not checked in
 * the self-contained browser files.)
 * @throws {Error} for a list whose length is not the number of texts in English's table (a language
 * file of another version): the message names the language and both counts. Nothing changes on
 * any of these.
 */
export function registerLanguage(lang: string, strings: SendAuthStringsOverride | readonly string[]): void {
  if (CHECKED) check('registerLanguage', lang, strings);
  if (Array.isArray(strings)) {
    const texts: readonly string[] = strings;
    let next = 0;
    strings = mapTexts(() => texts[next++]!);
    if (next !== texts.length) {
      throw new Error(`registerLanguage("${lang}"): ${texts.length} texts, expected ${next}; load the language file of the same version.`);
    }
  }
  put(lang, strings as SendAuthStringsOverride, en);
}

/**
 * A table of English's shape (its keys, in its order, `errors` nested), each text what `text`
 * returns for its key, called in that order: depth first, as `JSON.stringify(en)` writes them.
 * The one walk that fixes the order of a text list (see `registerLanguage`); the build writes the
 * drop-in language files by it.
 */
export function mapTexts(text: (key: string) => string): SendAuthStrings {
  // JSON.parse calls the reviver for each value in the order the JSON text writes them (ECMA-262, InternalizeJSONProperty).
  return JSON.parse(JSON.stringify(en), (key, value: unknown) => (typeof value == 'string' ? text(key) : value)) as SendAuthStrings;
}

/**
 * Which table a BCP 47 language tag (RFC 5646; any case) gets, as the key it was registered under:
 * the tag's own table; else the first one registered for the same language in the same script,
 * as CLDR's likely subtags complete both (`languageAndScript`): `de-CH` → `de`, `pt`, `pt-PT` →
 * `pt-br`, `zh`, `zh-CN`, `zh-SG` → `zh-hans`; else `'en'`. So a page in Traditional Chinese
 * (`zh-TW`, `zh-HK`, `zh-Hant`) gets English, not Simplified Chinese, unless a site registers a
 * `zh-hant` table (CLDR does not fall back from one script to the other either). The elements
 * mark their text with it. A malformed tag (`en_US`) gets only its own table, else English.
 */
export function resolveLanguage(lang: string): string {
  const tag = normalize(lang);
  const wanted = languageAndScript(tag);
  return [tag, ...(wanted ? tables.keys() : [])].find((key) => tables.has(key) && languageAndScript(key) === wanted) ?? 'en';
}

/**
 * A tag's language and script as CLDR's likely subtags complete it (`Intl.Locale#maximize`):
 * `zh-TW` → `zhHant`, `zh-CN` → `zhHans`, `pt` → `ptLatn`, `ar` → `arArab`; `''` for a malformed
 * tag (`en_US`), which `Intl.Locale` refuses with a RangeError.
 */
export function languageAndScript(tag: string): string {
  try {
    const locale = new Intl.Locale(tag).maximize();
    return locale.language + locale.script;
  } catch {
    return '';
  }
}

/** The table for a BCP 47 language tag, found as `resolveLanguage` says. */
export function getStrings(lang = 'en'): SendAuthStrings {
  return tables.get(resolveLanguage(lang)) ?? en;
}

/** Calls `listener` after every change of any table; returns the function that stops it. */
export function onStringsChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
