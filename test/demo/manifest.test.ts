/**
 * custom-elements.json is generated (`npm run manifest`) and committed; this
 * fails when the elements' JSDoc changed and the committed file was not
 * regenerated, and checks that both tags are in it with their public API.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const analyzer = path.join(repoRoot, 'node_modules', '@custom-elements-manifest', 'analyzer', 'cem.js');

interface ManifestDeclaration {
  name: string;
  tagName?: string;
  attributes?: Array<{ name: string }>;
  events?: Array<{ name: string }>;
  cssParts?: Array<{ name: string }>;
  cssProperties?: Array<{ name: string }>;
}

test('custom-elements.json is up to date with the elements', { timeout: 120_000 }, async () => {
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'sendauth-manifest-'));
  try {
    // The analyzer joins --outdir to the working directory, so hand it a relative path.
    await promisify(execFile)(
      process.execPath,
      [analyzer, 'analyze', '--config', 'custom-elements-manifest.config.mjs', '--outdir', path.relative(repoRoot, scratch)],
      { cwd: repoRoot },
    );
    const fresh = await readFile(path.join(scratch, 'custom-elements.json'), 'utf8');
    const committed = await readFile(path.join(repoRoot, 'custom-elements.json'), 'utf8');
    if (fresh !== committed) {
      let at = 0;
      while (fresh[at] === committed[at]) at++;
      const around = (text: string): string => JSON.stringify(text.slice(Math.max(0, at - 120), at + 120));
      assert.fail(`custom-elements.json is stale: run \`npm run manifest\`. First difference at ${at}:\n fresh:     ${around(fresh)}\n committed: ${around(committed)}`);
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
});

test('the manifest describes every element and package.json points to it', async () => {
  const packageJson = JSON.parse(await readFile(path.join(repoRoot, 'package.json'), 'utf8')) as { customElements?: string };
  assert.equal(packageJson.customElements, 'custom-elements.json');

  const manifest = JSON.parse(await readFile(path.join(repoRoot, 'custom-elements.json'), 'utf8')) as {
    modules: Array<{ declarations?: ManifestDeclaration[] }>;
  };
  const elements = new Map(
    manifest.modules.flatMap((module) => module.declarations ?? []).flatMap((d) => (d.tagName ? [[d.tagName, d] as const] : [])),
  );
  assert.deepEqual([...elements.keys()].sort(), ['sendauth-approve', 'sendauth-login', 'sendauth-register']);
  const names = (list: Array<{ name: string }> | undefined): string[] => (list ?? []).map((item) => item.name);
  for (const element of elements.values()) {
    for (const attribute of ['endpoint', 'lang']) assert.ok(names(element.attributes).includes(attribute), `${element.tagName} [${attribute}]`);
    for (const event of ['sendauth-success', 'sendauth-error', 'sendauth-cancel', 'sendauth-state']) {
      assert.ok(names(element.events).includes(event), `${element.tagName} @${event}`);
    }
    for (const part of ['form', 'button', 'status', 'error']) assert.ok(names(element.cssParts).includes(part), `${element.tagName} ::part(${part})`);
    assert.ok(names(element.cssProperties).includes('--sendauth-color-accent'), `${element.tagName} --sendauth-color-accent`);
  }
  assert.ok(names(elements.get('sendauth-login')?.attributes).includes('user-id'));
  assert.ok(names(elements.get('sendauth-register')?.attributes).includes('signup'));
  assert.ok(names(elements.get('sendauth-approve')?.attributes).includes('message'));
  for (const part of ['waiting', 'code', 'timer', 'secondary']) assert.ok(names(elements.get('sendauth-login')?.cssParts).includes(part), part);
});
