/**
 * A Vite plugin for the self-contained browser files: the CSS inside Lit's
 * `css\`…\`` templates, minified (comments gone, whitespace collapsed), which
 * the bundler's minifier leaves as written. Only templates without `${}`
 * interpolations are touched; the rest of the code is left to the minifier.
 */
import type { Plugin } from 'vite';

/** Comments out, whitespace collapsed, and none around `{ } ; , >` (spaces inside selectors and values stay). */
export function minifyCss(text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\s+/g, ' ')
    .replace(/\s*([{};,>])\s*/g, '$1')
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
