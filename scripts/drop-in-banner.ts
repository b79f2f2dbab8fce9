/**
 * The self-contained browser files' first line: whose code is in them and
 * under which licences (BSD-3-Clause and MIT both ask that the notice travel
 * with every copy; the full texts are `THIRD-PARTY-LICENSES.md` in the npm
 * package). Added after minification, which would drop a comment; the
 * source map is shifted by the one line. Used by `vite.config.ts`.
 */
import type { Plugin } from 'vite';

export const DROP_IN_BANNER =
  '/*! @sendauth/elements (MIT). Bundles lit (BSD-3-Clause, (c) 2017 Google LLC) and @simplewebauthn/browser ' +
  '(MIT, (c) 2020 Matthew Miller); licence texts: THIRD-PARTY-LICENSES.md in the npm package. */';

export function dropInBanner(): Plugin {
  return {
    name: 'sendauth-drop-in-banner',
    enforce: 'post',
    generateBundle(_, bundle) {
      for (const file of Object.values(bundle)) {
        if (file.type !== 'chunk' || !file.isEntry) continue;
        file.code = `${DROP_IN_BANNER}\n${file.code}`;
        if (file.map) file.map.mappings = `;${file.map.mappings}`;
      }
    },
  };
}
