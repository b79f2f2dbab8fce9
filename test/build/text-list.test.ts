/**
 * The list form of a table, which the drop-in language files carry (texts
 * only, no keys): its order is English's key order, held here so that it
 * never changes without its length changing too; `registerLanguage` reads a
 * list of this version's length and refuses any other, naming the language
 * and both counts, with nothing changed. (The built files themselves are
 * checked in bundle.test.ts, and in a browser in test/browser/build.)
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DROP_IN_LOCALES, loadLocale, TEXT_KEYS, textList } from '../../scripts/drop-in-locales.js';
import { en } from '../../src/elements/locales/en.js';
import { getStrings, registerLanguage, setStrings, type SendAuthStringsOverride } from '../../src/elements/strings.js';

/**
 * The order of a text list as released. A language file names no key: a file of another version is
 * told apart only by its length. So the order may change only with the number of texts (a key
 * added or removed), never on its own (keys moved or renamed), or a file of the last version would
 * put its texts in the wrong places. Add a new key anywhere, then write the new order here.
 */
const RELEASED_ORDER = [
  ...['usernameLabel', 'firstNameLabel', 'lastNameLabel', 'emailLabel', 'signInButton', 'registerButton', 'signupButton'],
  ...['approveButton', 'anotherDeviceButton', 'sendAgainButton', 'cancelButton', 'waitingSent', 'waitingLink', 'waitingSomewhere'],
  ...['timeLeft', 'minutesLeft', 'statusStarting', 'statusCeremony', 'statusVerifying', 'statusSignedIn', 'statusRegistered'],
  ...['statusApproved', 'statusCancelled', 'fieldRequired', 'fieldLength', 'emailInvalid', 'fieldCharacters', 'emailTooLong'],
  ...['emailUnsupported', 'retryIn', 'retryNow', 'retryButton', 'rpMismatchIp'],
  ...['not-supported', 'insecure-context', 'cancelled', 'not-allowed', 'prompt-pending', 'timeout', 'user-not-found']
    .concat(['no-passkey', 'already-registered', 'already-exists', 'unauthorized', 'forbidden', 'tx-expired', 'tx-denied'])
    .concat(['tx-not-found', 'replayed', 'rate-limited', 'invalid-request', 'network', 'upstream', 'rp-mismatch'])
    .map((code) => `errors.${code}`),
];

describe('the list form of a table (drop-in language files)', () => {
  test('its order is English’s keys, depth first, and changes only with its length', () => {
    const order = TEXT_KEYS.map((path) => path.join('.'));
    assert.ok(
      order.length !== RELEASED_ORDER.length || order.every((key, i) => key === RELEASED_ORDER[i]),
      'English’s keys moved (or one was renamed) but their number stayed: a language file of the last version would ' +
        'show its texts in the wrong places. Keep the keys where they were, and add a key rather than rename one.',
    );
    assert.deepEqual(order, RELEASED_ORDER, 'English’s keys changed in number: write their new order in RELEASED_ORDER');
    const textAt = (key: string): unknown => key.split('.').reduce<unknown>((table, part) => (table as Record<string, unknown>)[part], en);
    assert.deepEqual(textList(en, 'en'), RELEASED_ORDER.map(textAt));
  });

  test('registerLanguage reads every shipped table from its list as the table itself', async () => {
    for (const lang of DROP_IN_LOCALES) {
      const table = await loadLocale(lang);
      registerLanguage(`${lang}-x-list`, textList(table, lang));
      assert.deepEqual(getStrings(`${lang}-x-list`), table, lang);
    }
  });

  test('a list of another length (a language file of another version) is refused, naming the language and both counts; nothing changes', async () => {
    const de = await loadLocale('de');
    const list = textList(de, 'de');
    // German texts under Finnish, a language no other test here registers: refused, Finnish stays English.
    for (const texts of [list.slice(1), [...list, 'Neu'], []]) {
      assert.throws(
        () => registerLanguage('fi', texts),
        (error: unknown) =>
          error instanceof Error &&
          error.message === `registerLanguage("fi"): ${texts.length} texts, expected ${list.length}; load the language file of the same version.`,
      );
      assert.deepEqual(getStrings('fi'), en);
    }
    // A language already there keeps its table.
    registerLanguage('sv-x-kept', de);
    assert.throws(() => registerLanguage('sv-x-kept', list.slice(0, -1)), /"sv-x-kept"\): 53 texts, expected 54/);
    assert.deepEqual(getStrings('sv-x-kept'), de);
  });

  test('the object form is unchanged: a table, or part of one, on top of English', () => {
    registerLanguage('nl-x-part', { signInButton: 'Inloggen met een passkey', errors: { timeout: 'Dit duurde te lang.' } });
    const table = getStrings('nl-x-part');
    assert.equal(table.signInButton, 'Inloggen met een passkey');
    assert.equal(table.errors.timeout, 'Dit duurde te lang.');
    assert.equal(table.usernameLabel, en.usernameLabel);
    assert.equal(table.errors.network, en.errors.network);
  });
});

describe('strings that are not a table or a list of texts are refused with a readable error; nothing changes', () => {
  /** Calls `register`, expecting it to throw exactly `message`, then checks that `lang` still has `before`. */
  function refused(register: () => void, message: string, lang: string, before: unknown): void {
    assert.throws(register, (error: unknown) => {
      assert.ok(error instanceof TypeError, `a TypeError, not ${String(error)}`);
      assert.equal(error.message, message);
      return true;
    });
    assert.deepEqual(getStrings(lang), before, `${lang} is as it was`);
  }

  test('a list with an entry that is not a string (a number, null, a hole, a table, a nested list) names the entry', async () => {
    const list = textList(await loadLocale('de'), 'de');
    const cases: Array<[number, unknown, string]> = [
      [3, 42, 'a number (42)'],
      [0, null, 'null'],
      [5, undefined, 'undefined'],
      [1, { text: 'Vorname' }, 'an object'],
      [53, ['Zu viele', 'Versuche'], 'an array'],
    ];
    for (const [index, entry, what] of cases) {
      const texts: unknown[] = [...list];
      if (entry === undefined) delete texts[index];
      else texts[index] = entry;
      refused(
        () => registerLanguage('fi', texts as string[]),
        `registerLanguage("fi"): entry ${index} of the list is ${what}, not a string.`,
        'fi',
        en,
      );
    }
    // Nested lists that hold the right number of texts in all are still not a flat list.
    refused(
      () => registerLanguage('fi', [list.slice(0, 2), ...list.slice(2)] as unknown as string[]),
      `registerLanguage("fi"): entry 0 of the list is an array, not a string.`,
      'fi',
      en,
    );
  });

  test('a table with a value that is not a string, a key English does not have, or errors that are not a table is refused, naming the key', () => {
    registerLanguage('sv-x-held', { signInButton: 'Logga in' });
    const before = getStrings('sv-x-held');
    const cases: Array<[unknown, string]> = [
      [{ signInButton: 5 }, 'signInButton is a number (5), not a string'],
      [{ signinButton: 'Logga in' }, 'signinButton is not one of the keys of the strings (a typo of another key?)'],
      [{ errors: 'Fel' }, 'errors is a string, not a table of the error codes’ texts'],
      [{ errors: { timeout: ['Det tog för lång tid.'] } }, 'errors.timeout is an array, not a string'],
      [{ errors: { 'no-such-code': 'Fel' } }, 'errors.no-such-code is not one of the keys of the strings (a typo of another key?)'],
      [{ usernameLabel: { text: 'E-post' } }, 'usernameLabel is an object, not a string'],
    ];
    for (const [table, problem] of cases) {
      refused(() => registerLanguage('sv-x-held', table as SendAuthStringsOverride), `registerLanguage("sv-x-held"): ${problem}.`, 'sv-x-held', before);
      refused(() => setStrings('sv-x-held', table as SendAuthStringsOverride), `setStrings("sv-x-held"): ${problem}.`, 'sv-x-held', before);
    }
  });

  test('a bundler’s whole module (import * as de) instead of its table, or the table’s values as a list, is refused, saying what to pass', async () => {
    const germanModule = await import('../../src/elements/locales/de.js');
    refused(
      () => registerLanguage('fi', germanModule as unknown as SendAuthStringsOverride),
      'registerLanguage("fi"): de is not one of the keys of the strings: pass the table itself, not an object (or module) that holds it.',
      'fi',
      en,
    );
    const values = Object.values(germanModule.de);
    refused(
      () => registerLanguage('fi', values as string[]),
      `registerLanguage("fi"): entry ${values.length - 1} of the list is an object, not a string.`,
      'fi',
      en,
    );
  });

  test('no table at all (null, undefined, a string, a number) is refused, saying what it takes', () => {
    for (const [strings, what] of [
      [null, 'null'],
      [undefined, 'undefined'],
      ['Logga in', 'a string'],
      [7, 'a number (7)'],
    ] as const) {
      refused(
        () => registerLanguage('fi', strings as unknown as SendAuthStringsOverride),
        `registerLanguage("fi"): the strings are ${what}, not a table of texts (or a list of every text, in English's key order).`,
        'fi',
        en,
      );
      refused(() => setStrings('fi', strings as unknown as SendAuthStringsOverride), `setStrings("fi"): the strings are ${what}, not a table of texts.`, 'fi', en);
    }
  });

  test('a language that is not a non-empty string is refused', () => {
    for (const [lang, shown] of [
      ['', '""'],
      ['  ', '"  "'],
      [5, '5'],
      [null, 'null'],
      [undefined, 'undefined'],
    ] as const) {
      refused(
        () => registerLanguage(lang as unknown as string, { signInButton: 'x' }),
        `registerLanguage(${shown}): the language must be a BCP 47 tag such as "de" or "pt-BR".`,
        'en',
        en,
      );
      refused(
        () => setStrings(lang as unknown as string, { signInButton: 'x' }),
        `setStrings(${shown}): the language must be a BCP 47 tag such as "de" or "pt-BR".`,
        'en',
        en,
      );
    }
  });

  test('what is right still goes in: a table, part of one, an empty one, the list of a whole table', async () => {
    const de = await loadLocale('de');
    registerLanguage('de-x-ok', de);
    assert.deepEqual(getStrings('de-x-ok'), de);
    registerLanguage('de-x-ok', textList(de, 'de'));
    assert.deepEqual(getStrings('de-x-ok'), de);
    setStrings('de-x-ok', {});
    setStrings('de-x-ok', { errors: {} });
    assert.deepEqual(getStrings('de-x-ok'), de);
  });
});
