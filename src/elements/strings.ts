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
 */
export function setStrings(lang: string, strings: SendAuthStringsOverride): void {
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
 * @throws {Error} for a list whose length is not the number of texts in English's table (a language
 * file of another version): the message names the language and both counts; nothing changes.
 */
export function registerLanguage(lang: string, strings: SendAuthStringsOverride | readonly string[]): void {
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
