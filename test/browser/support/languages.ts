/**
 * Every shipped language's table under the tag a page writes, for browser
 * tests (`test/build/languages.test.ts` holds the shipped list to the
 * locales folder). Imports no element: the drop-in tests use it before the
 * drop-in file defines them.
 */
import type { SendAuthStrings } from '../../../src/elements/strings.js';
import { ar } from '../../../src/elements/locales/ar.js';
import { de } from '../../../src/elements/locales/de.js';
import { en } from '../../../src/elements/locales/en.js';
import { es } from '../../../src/elements/locales/es.js';
import { fr } from '../../../src/elements/locales/fr.js';
import { it as italian } from '../../../src/elements/locales/it.js';
import { ja } from '../../../src/elements/locales/ja.js';
import { ko } from '../../../src/elements/locales/ko.js';
import { nl } from '../../../src/elements/locales/nl.js';
import { pl } from '../../../src/elements/locales/pl.js';
import { ptBR } from '../../../src/elements/locales/pt-br.js';
import { sv } from '../../../src/elements/locales/sv.js';
import { zhHans } from '../../../src/elements/locales/zh-hans.js';

export const LANGUAGES: ReadonlyArray<readonly [tag: string, table: SendAuthStrings]> = [
  ['en', en],
  ['de', de],
  ['fr', fr],
  ['es', es],
  ['it', italian],
  ['pt-BR', ptBR],
  ['nl', nl],
  ['pl', pl],
  ['sv', sv],
  ['ja', ja],
  ['zh-Hans', zhHans],
  ['ko', ko],
  ['ar', ar],
];
