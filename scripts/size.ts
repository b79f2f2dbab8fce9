/**
 * `npm run size`: raw and gzip -9 sizes of the browser bundle, and a non-zero
 * exit when the drop-in IIFE is over its budget or a language file over its
 * ceiling. Run after `npm run build`.
 */
import { readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { DROP_IN_GZIP_BUDGET, LANGUAGE_FILE_GZIP_CEILING } from './budget.js';
import { DROP_IN_LOCALES } from './drop-in-locales.js';

// The main files, then the drop-in language file a page in each other language adds.
const files = [
  'dist/sendauth-elements.js',
  'dist/sendauth-elements.iife.js',
  ...DROP_IN_LOCALES.map((lang) => `dist/sendauth-elements.${lang}.js`),
];

const kb = (bytes: number): string => `${(bytes / 1024).toFixed(2)} KB`;

let iifeGzip = 0;
const languageGzip: number[] = [];
for (const file of files) {
  let bytes: Buffer;
  try {
    bytes = await readFile(new URL(`../${file}`, import.meta.url));
  } catch {
    console.error(`${file} is missing: run \`npm run build\` first.`);
    process.exit(1);
  }
  const gzip = gzipSync(bytes, { level: 9 }).length;
  if (file.endsWith('.iife.js')) iifeGzip = gzip;
  else if (file !== 'dist/sendauth-elements.js') languageGzip.push(gzip);
  console.log(`${file.padEnd(37)} ${kb(bytes.length).padStart(10)} raw ${kb(gzip).padStart(10)} gzip -9`);
}

const verdict = iifeGzip <= DROP_IN_GZIP_BUDGET ? 'within' : 'OVER';
console.log(`drop-in budget: ${kb(iifeGzip)} of ${kb(DROP_IN_GZIP_BUDGET)} gzip (${verdict})`);
const largest = Math.max(...languageGzip);
const languageVerdict = largest <= LANGUAGE_FILE_GZIP_CEILING ? 'within' : 'OVER';
console.log(
  `language files: ${kb(Math.min(...languageGzip))}–${kb(largest)} gzip, each at most ${kb(LANGUAGE_FILE_GZIP_CEILING)} (${languageVerdict})`,
);
if (iifeGzip > DROP_IN_GZIP_BUDGET || largest > LANGUAGE_FILE_GZIP_CEILING) process.exit(1);
