/**
 * The README's reference tables and commands against the code they describe,
 * so a renamed part, a new error code or a dropped npm script shows up here
 * rather than in a user's bug report.
 */
import assert from 'node:assert/strict';
import { access, readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { en } from '../../src/elements/locales/en.js';
import { ERROR_CODES } from '../../src/error-codes.js';
import { currentErrorFacts, errorTableProblems } from '../support/readme-tables.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const readme = await readFile(path.join(repoRoot, 'README.md'), 'utf8');

interface Named {
  name: string;
}
interface ManifestDeclaration {
  tagName?: string;
  attributes?: Named[];
  events?: Named[];
  cssParts?: Named[];
  cssProperties?: Named[];
  slots?: Named[];
}

test('every error code is in the README with its status, retryable and English message', () => {
  assert.deepEqual(errorTableProblems(readme, currentErrorFacts(en.errors, ERROR_CODES)), []);
});

test('every attribute, event, part, slot and custom property of the manifest is in the README', async () => {
  const manifest = JSON.parse(await readFile(path.join(repoRoot, 'custom-elements.json'), 'utf8')) as {
    modules: Array<{ declarations?: ManifestDeclaration[] }>;
  };
  const elements = manifest.modules.flatMap((module) => module.declarations ?? []).filter((d) => d.tagName);
  assert.equal(elements.length, 3);
  for (const element of elements) {
    const names = [element.attributes, element.events, element.cssParts, element.cssProperties, element.slots].flatMap(
      (list) => (list ?? []).map((item) => item.name),
    );
    for (const name of names) assert.ok(readme.includes(`\`${name}\``), `README does not mention \`${name}\` of <${element.tagName}>`);
  }
});

test('the screenshots the README shows exist', async () => {
  const images = [...readme.matchAll(/src="(docs\/[^"]+)"/g)].map((match) => match[1] ?? '');
  assert.ok(images.length >= 6);
  for (const image of images) await access(path.join(repoRoot, image));
});

test('every `npm run` command the README names exists', async () => {
  const { scripts } = JSON.parse(await readFile(path.join(repoRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const named = new Set([...readme.matchAll(/npm run ([a-z:-]+)/g)].map((match) => match[1] ?? ''));
  for (const name of ['start', 'test']) assert.ok(scripts[name], `npm ${name}`);
  for (const name of named) assert.ok(scripts[name], `README names \`npm run ${name}\`, which package.json does not have`);
});
