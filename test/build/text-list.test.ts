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
import { getStrings, registerLanguage } from '../../src/elements/strings.js';

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
