/**
 * Every language the package ships (`src/elements/locales/*.ts`) against
 * English: every key and every error code, each text non-empty, with the
 * placeholders English has, and nothing left in English but the words a
 * language really shares with it (each listed below); each language says
 * passkey as the platforms do in it and keeps one form of address.
 */
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { describe, test } from 'node:test';
import { DROP_IN_LOCALES } from '../../scripts/drop-in-locales.js';
import { ERROR_CODES } from '../../src/error-codes.js';
import { en } from '../../src/elements/locales/en.js';
import type { SendAuthStrings } from '../../src/elements/strings.js';
import { LANGUAGES } from '../browser/support/languages.js';

const LOCALES_FOLDER = new URL('../../src/elements/locales/', import.meta.url);

/** The languages issue 14 asks for (English built in, the others as modules). */
const REQUIRED = ['en', 'de', 'fr', 'es', 'it', 'pt-br', 'nl', 'pl', 'sv', 'ja', 'zh-hans', 'ko', 'ar'];

/**
 * Words a language writes as English does (compared without case), each because it is that language's
 * own word too (Dutch "of" is "or", Polish "to" is "this", Portuguese "Use" is "use!") or the name the
 * language uses for the thing (German "Browser", Italian "passkey"): any other Latin-script word of
 * English's tables found in a translation fails the test. Names every language keeps are allowed everywhere.
 */
const EVERYWHERE = ['Chrome', 'Safari', 'Firefox', 'Edge', 'https', 'localhost', 'IP', 'name', 'example', 'com', 'a', 'z', 'min' /* minutes, abbreviated alike */];
const SAME_WORDS: Record<string, readonly string[]> = {
  de: ['Code', 'Link', 'Passkey', 'Passkeys', 'Server', 'Browser', 'Website', 'Version', 'Minute', 'in', 'an'],
  fr: ['code', 'service', 'version', 'page', 'minute', 'site'],
  es: ['no', 'control'],
  it: ['email', 'passkey', 'browser', 'server', 'account', 'link', 'no', 'in', 'it' /* esempio.it */],
  'pt-br': ['login', 'link', 'site', 'no', 'do', 'as', 'use', 'continue'],
  nl: ['code', 'server', 'browser', 'account', 'link', 'website', 'in', 'is', 'of', 'we', 'open', 'later', 'tabs', 'letters'],
  pl: ['to', 'do', 'link'],
  sv: ['in', 'version'],
  ja: [],
  'zh-hans': [],
  ko: [],
  ar: [],
};

/** Keys whose whole text may equal English's, per language (a shared word, nothing else). */
const SAME_TEXTS: Record<string, readonly string[]> = {
  it: ['usernameLabel', 'emailLabel'], // "Email" is the Italian word (Treccani), as Apple and Google Italy write it.
};

/** How each language says passkey, as Apple, Google and Microsoft do in it (fr: Google and Microsoft; sv: Google). */
const PASSKEY: Record<string, RegExp> = {
  en: /passkey/i,
  de: /Passkey/,
  fr: /clé d’accès|clés d’accès/,
  es: /llaves? de acceso/,
  it: /passkey/,
  'pt-br': /chaves? de acesso/i,
  nl: /toegangssleutel/i,
  pl: /klucz(a|e|y|em|u)? dostępu/i,
  sv: /nyck(el|eln|lar|larna)/i,
  ja: /パスキー/,
  'zh-hans': /通行密钥/,
  ko: /패스키/,
  ar: /مفتاح (ال)?مرور|مفاتيح المرور/,
};

/** A form of address the language does not use (de: "Sie", not "du"; fr: "vous"; es, it, pt-br, nl, pl, sv: the informal one; zh-hans: "您"). */
const OTHER_ADDRESS: Record<string, RegExp> = {
  de: /(?<!\p{L})(du|dich|dir|dein\p{L}*)(?!\p{L})/iu,
  fr: /(?<!\p{L})(tu|toi|ton|ta|tes)(?!\p{L})/iu,
  es: /(?<!\p{L})(usted|ustedes|su|sus)(?!\p{L})/iu,
  it: /(?<!\p{L})(Lei|Suo|Sua|Suoi)(?!\p{L})/u,
  'pt-br': /(?<!\p{L})(tu|teu|tua|o senhor|a senhora)(?!\p{L})/iu,
  nl: /(?<!\p{L})(u|uw)(?!\p{L})/iu,
  pl: /(?<!\p{L})(Pan|Pani|Państwo|Pana|Panu)(?!\p{L})/u,
  sv: /(?<!\p{L})(ni|er|ert|era)(?!\p{L})/iu,
  'zh-hans': /你/,
};

async function loadTable(lang: string): Promise<[string, SendAuthStrings]> {
  const module = (await import(new URL(`${lang}.ts`, LOCALES_FOLDER).href)) as Record<string, SendAuthStrings>;
  const entries = Object.entries(module);
  assert.equal(entries.length, 1, `locales/${lang}.ts exports ${entries.length} values, not one table`);
  return entries[0]!;
}

/** Every text of a table with its path (`signInButton`, `errors.no-passkey`), in English's order. */
function texts(table: SendAuthStrings): Array<[string, unknown]> {
  return Object.entries(table).flatMap(([key, value]) =>
    key === 'errors' ? Object.entries(value as object).map(([code, text]) => [`errors.${code}`, text] as [string, unknown]) : [[key, value] as [string, unknown]],
  );
}

const placeholders = (text: string): string[] => (text.match(/\{\w+\}/g) ?? []).sort();
/** The Latin-script words of a text, whole (`téléphone` is one word, not `t`, `l`, `phone`), placeholders left out. */
const latinWords = (text: string): string[] =>
  text.replace(/\{\w+\}/g, ' ').match(/\p{Script=Latin}[\p{Script=Latin}’'-]*\p{Script=Latin}|\p{Script=Latin}/gu) ?? [];
const englishWords = new Set(texts(en).flatMap(([, text]) => latinWords(String(text).toLowerCase())));
const english = new Map(texts(en));

describe('the languages', () => {
  test('every one asked for ships: English built in, each other one a module with a drop-in file', async () => {
    const files = (await readdir(LOCALES_FOLDER)).filter((file) => file.endsWith('.ts')).map((file) => file.slice(0, -3));
    assert.deepEqual(files.sort(), [...REQUIRED].sort());
    assert.deepEqual([...DROP_IN_LOCALES].sort(), REQUIRED.filter((lang) => lang !== 'en').sort());
    // The browser tests (each language at 320 px, the drop-in files) cover every one.
    assert.deepEqual(LANGUAGES.map(([tag]) => tag.toLowerCase()).sort(), [...REQUIRED].sort());
    for (const lang of REQUIRED) assert.ok(lang in PASSKEY && (lang === 'en' || lang in SAME_WORDS), `${lang} has no checks below`);
  });

  test('each module exports one table, named after its tag (`pt-br` → `ptBR`, `zh-hans` → `zhHans`)', async () => {
    for (const lang of REQUIRED) {
      const [name] = await loadTable(lang);
      const [language, ...rest] = lang.split('-');
      const expected = language + rest.map((subtag) => (subtag.length === 2 ? subtag.toUpperCase() : subtag[0]!.toUpperCase() + subtag.slice(1))).join('');
      assert.equal(name, expected, `locales/${lang}.ts`);
    }
  });

  for (const lang of REQUIRED.filter((tag) => tag !== 'en')) {
    describe(lang, () => {
      test('has every key and every error code English has, and nothing else', async () => {
        const [, table] = await loadTable(lang);
        assert.deepEqual(Object.keys(table), Object.keys(en), 'the keys, in English’s order');
        assert.deepEqual(Object.keys(table.errors), ERROR_CODES, 'a message for every error code, in the registry’s order');
      });

      test('every text is a non-empty string without surrounding space, with English’s placeholders', async () => {
        const [, table] = await loadTable(lang);
        for (const [key, text] of texts(table)) {
          assert.equal(typeof text, 'string', `${lang} ${key}`);
          const value = text as string;
          assert.ok(value.trim() !== '' && value === value.trim(), `${lang} ${key} is empty or padded: ${JSON.stringify(value)}`);
          assert.deepEqual(placeholders(value), placeholders(String(english.get(key))), `${lang} ${key}: ${value}`);
        }
      });

      test('nothing is left in English, but the words listed as the language’s own', async () => {
        const [, table] = await loadTable(lang);
        const allowed = new Set([...EVERYWHERE, ...(SAME_WORDS[lang] ?? [])].map((word) => word.toLowerCase()));
        const sameTexts = SAME_TEXTS[lang] ?? [];
        const problems: string[] = [];
        for (const [key, text] of texts(table)) {
          const value = text as string;
          if (value === english.get(key) && !sameTexts.includes(key)) problems.push(`${key} is English's text: ${value}`);
          const left = latinWords(value).filter((word) => englishWords.has(word.toLowerCase()) && !allowed.has(word.toLowerCase()));
          if (left.length) problems.push(`${key} has English words ${left.join(', ')}: ${value}`);
        }
        assert.deepEqual(problems, []);
      });

      test('says passkey as the platforms do in it, and never in another language’s word', async () => {
        const [, table] = await loadTable(lang);
        for (const key of ['signInButton', 'registerButton', 'statusRegistered'] as const) {
          assert.match(table[key], PASSKEY[lang]!, `${lang} ${key}`);
        }
        const texted = texts(table).map(([key, text]) => [key, text as string] as const);
        if (!['de', 'it'].includes(lang)) {
          const english = texted.filter(([, text]) => /passkey/i.test(text));
          assert.deepEqual(english, [], `${lang} says "passkey" where it says ${PASSKEY[lang]}`);
        }
      });

      if (OTHER_ADDRESS[lang]) {
        test('keeps one form of address', async () => {
          const [, table] = await loadTable(lang);
          const other = texts(table).filter(([, text]) => OTHER_ADDRESS[lang]!.test(text as string));
          assert.deepEqual(other, [], `${lang} mixes in ${OTHER_ADDRESS[lang]}`);
        });
      }
    });
  }
});
