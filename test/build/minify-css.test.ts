/** The drop-in build's CSS minifier (`scripts/minify-css-literals.ts`): smaller, and the same rules. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { minifyCss } from '../../scripts/minify-css-literals.js';
import { baseStyles } from '../../src/elements/base-styles.js';

test('comments and layout whitespace go; selectors with descendant spaces, values with spaces and strings stay', () => {
  const css = `
    /* a comment */
    :host([hidden]) .field > input :focus-visible {
      font-family: var(--x, system-ui, 'Segoe UI', sans-serif);
      margin: 0 auto;
      padding: 0.625em 10.5em 0 0.5rem;
    }
    [part~='button'][aria-disabled='true'], [data-x='1a'], [title='a b'] { opacity: 0.75; }
    @media (prefers-color-scheme: dark) { :host { --_text: #e6edf3; } }
  `;
  assert.equal(
    minifyCss(css),
    ":host([hidden]) .field>input :focus-visible{font-family:var(--x,system-ui,'Segoe UI',sans-serif);margin:0 auto;padding:.625em 10.5em 0 .5rem}" +
      "[part~=button][aria-disabled=true],[data-x='1a'],[title='a b']{opacity:.75}@media (prefers-color-scheme:dark){:host{--_text:#e6edf3}}",
  );
});

test('the elements’ styles shrink by at least a sixth and keep every custom property and part selector', () => {
  const text = baseStyles.cssText;
  const small = minifyCss(text);
  assert.ok(small.length < text.length * (5 / 6), `${small.length} of ${text.length}`);
  for (const name of text.match(/--sendauth-[a-z-]+|::?part\([a-z-]+\)|\[part~?="[a-z-]+"\]/g) ?? []) assert.ok(small.includes(name), name);
});
