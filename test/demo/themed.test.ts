/**
 * The theming page shows its CSS twice: as rules in `demo/styles.css` that
 * style its elements, and as code a reader copies. This keeps the code shown
 * true to the rules applied.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';

const read = (file: string) => readFile(new URL(`../../demo/${file}`, import.meta.url), 'utf8');
const squash = (css: string) => css.replace(/\s+/g, ' ').trim();

test('every CSS sample on the theming page is, rule for rule, in the stylesheet that styles it', async () => {
  const [page, stylesheet] = await Promise.all([read('themed.html'), read('styles.css')]);
  const samples = [...page.matchAll(/<pre><code>([\s\S]*?)<\/code><\/pre>/g)].map((match) => match[1] ?? '');
  assert.ok(samples.length >= 2, 'the page shows its CSS');
  const css = squash(stylesheet);
  for (const sample of samples) {
    const rules = sample.match(/[^{}]+\{[^}]*\}/g) ?? [];
    assert.ok(rules.length > 0, sample);
    for (const rule of rules) assert.ok(css.includes(squash(rule)), `demo/styles.css lacks: ${squash(rule)}`);
  }
});
