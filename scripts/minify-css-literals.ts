/**
 * A Vite plugin for the self-contained browser files: the CSS inside Lit's
 * `css\`…\`` templates, minified (comments gone, whitespace collapsed), which
 * the bundler's minifier leaves as written. Only templates without `${}`
 * interpolations are touched; the rest of the code is left to the minifier.
 */
import type { Plugin } from 'vite';

/**
 * Comments out, whitespace collapsed, and none around `{ } ; , >` nor after a `:` (spaces inside
 * selectors and values stay: `.a :focus` keeps its descendant space); `0.5em` as `.5em`; an
 * attribute selector's quotes dropped where the value is an identifier (`[part~='form']` →
 * `[part~=form]`, CSS Selectors 4 § 6.1).
 */
export function minifyCss(text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\s+/g, ' ')
    .replace(/\s*([{};,>])\s*/g, '$1')
    .replace(/:\s+/g, ':')
    .replace(/([\s,(:])0\.(\d)/g, '$1.$2')
    .replace(/([~|^$*]?=)'([a-z][\w-]*)'\]/gi, '$1$2]')
    .replace(/;}/g, '}')
    .trim();
}

export function minifyCssLiterals(): Plugin {
  return {
    name: 'sendauth-minify-css-literals',
    transform(code, id) {
      if (!/\/src\/.*\.ts$/.test(id) || !code.includes('css`')) return undefined;
      return { code: code.replace(/\bcss`([^`$\\]*)`/g, (_, body: string) => `css\`${minifyCss(body)}\``), map: null };
    },
  };
}
