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
      "[part~=button][aria-disabled=true],[data-x='1a'],[title='a b']{opacity:.75}@media (prefers-color-scheme:dark){:host{--_t:#e6edf3}}",
  );
});

test('private custom properties (--_*) shorten to their words’ initials, the same wherever they are; public ones stay', () => {
  assert.equal(
    minifyCss(':host { --_field-border: #818b98; --sendauth-gap: 1rem; } [part~="input"] { border: 1px solid var(--sendauth-color-border, var(--_field-border)); }'),
    ':host{--_fb:#818b98;--sendauth-gap:1rem}[part~="input"]{border:1px solid var(--sendauth-color-border,var(--_fb))}',
  );
  assert.equal(minifyCss('.a { gap: var(--_field-border); }'), '.a{gap:var(--_fb)}');
  // Two names with the same initials would be one property after minifying: the build stops instead.
  assert.throws(() => minifyCss('.a { --_fine-blue: red; }'), /--_field-border and --_fine-blue both shorten to --_fb/);
});

test('the elements’ styles shrink by at least a sixth and keep every custom property and part selector', () => {
  const text = baseStyles.cssText;
  const small = minifyCss(text);
  assert.ok(small.length < text.length * (5 / 6), `${small.length} of ${text.length}`);
  for (const name of text.match(/--sendauth-[a-z-]+|::?part\([a-z-]+\)|\[part~?="[a-z-]+"\]/g) ?? []) assert.ok(small.includes(name), name);
  // Each private one is still there, under its short name, and no two share one.
  const privates = [...new Set(text.match(/--_[a-z-]+/g))];
  const shortened = new Set(privates.map((name) => minifyCss(`a{${name}:0}`)));
  assert.equal(shortened.size, privates.length);
  for (const rule of shortened) assert.ok(small.includes(rule.slice(2, -3)), rule);
});
