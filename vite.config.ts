import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { browserErrorRegistry } from './scripts/browser-error-registry.js';
import { dropInLocales } from './scripts/drop-in-locales.js';
import { dropInBanner } from './scripts/drop-in-banner.js';
import { minifyCssLiterals } from './scripts/minify-css-literals.js';

/**
 * The self-contained browser files (bundlers get the unbundled modules
 * `tsc -p tsconfig.build.json` writes instead):
 * - `dist/sendauth-elements.iife.js`: the drop-in `<script src>` file, which
 *   declares the global `SendAuthElements`, and its language files
 *   `dist/sendauth-elements.<lang>.js`, one for each table in
 *   `src/elements/locales/` but English (`scripts/drop-in-locales.ts`);
 * - `dist/sendauth-elements.js`: the same as one ES module, for a page that
 *   imports it from a CDN (`<script type="module">`) without a bundler.
 * Both carry lit and @simplewebauthn/browser. Each has its source map beside
 * it (`….js.map`), not named in the file: a site copies the one file it
 * serves, and a link to a map it did not copy would only be a 404 in the
 * browser's console (the name costs the drop-in 33 bytes gzip, too).
 * `SENDAUTH_BUILD_OUT_DIR` lets a test build into a temp directory.
 */
export default defineConfig({
  // Nothing from public/ or an index.html: this is a library build only.
  publicDir: false,
  logLevel: 'warn',
  plugins: [browserErrorRegistry(), dropInLocales(), minifyCssLiterals(), dropInBanner()],
  // The strings' checks stay out of these files, for the size budget (src/elements/strings.ts, `CHECKED`).
  define: { __SENDAUTH_SELF_CONTAINED__: 'true' },
  build: {
    target: 'es2022',
    outDir: process.env.SENDAUTH_BUILD_OUT_DIR ?? 'dist',
    // tsc writes the modules and the .d.ts files into dist/ first.
    emptyOutDir: false,
    minify: true,
    sourcemap: 'hidden',
    copyPublicDir: false,
    lib: {
      entry: fileURLToPath(new URL('./src/index.ts', import.meta.url)),
      name: 'SendAuthElements',
      formats: ['es', 'iife'],
      fileName: (format) => (format === 'es' ? 'sendauth-elements.js' : `sendauth-elements.${format}.js`),
    },
    // No `external`: the drop-in file must load on a page with nothing else. Vite leaves
    // whitespace in ES library output; minify it as fully as the IIFE. The global
    // `SendAuthElements` is a plain object: no `Symbol.toStringTag` "Module" on it (21 bytes gzip).
    rolldownOptions: { output: { minify: true, generatedCode: { symbols: false } } },
  },
});
