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
 * `[part~=form]`, CSS Selectors 4 § 6.1); the private custom properties (`--_*`, which no
 * site sets or reads: the public ones are `--sendauth-*`) shortened to their words' initials
 * (`--_field-border` → `--_fb`), the same in every template.
 *
 * @throws {Error} when two private custom properties would get the same short name.
 */
export function minifyCss(text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/--_([\w-]+)/g, (_, name: string) => `--_${shortName(name)}`)
    .replace(/\s+/g, ' ')
    .replace(/\s*([{};,>])\s*/g, '$1')
    .replace(/:\s+/g, ':')
    .replace(/([\s,(:])0\.(\d)/g, '$1.$2')
    .replace(/([~|^$*]?=)'([a-z][\w-]*)'\]/gi, '$1$2]')
    .replace(/;}/g, '}')
    .trim();
}

/** Short name → the private custom property it stands for, across all templates of a build. */
const shortNames = new Map<string, string>();

function shortName(name: string): string {
  const short = name.split('-').map((word) => word[0]).join('');
  const taken = shortNames.get(short);
  if (taken !== undefined && taken !== name) {
    throw new Error(`the private custom properties --_${taken} and --_${name} both shorten to --_${short}: rename one`);
  }
  shortNames.set(short, name);
  return short;
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
