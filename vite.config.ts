import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { minifyCssLiterals } from './scripts/minify-css-literals.js';
import { de } from './src/elements/locales/de.js';
import { fr } from './src/elements/locales/fr.js';
import type { SendAuthStrings } from './src/elements/strings.js';

/**
 * The drop-in files for the languages that are not built in:
 * `dist/sendauth-elements.de.js`, `…fr.js`. Each registers its table with the
 * drop-in file's global (`SendAuthElements.registerLanguage`), so a page
 * without a bundler adds German with one more `<script src>` after the main one.
 */
function dropInLocales(locales: Record<string, SendAuthStrings>): Plugin {
  return {
    name: 'sendauth-drop-in-locales',
    generateBundle(output) {
      if (output.format !== 'iife') return;
      for (const [lang, strings] of Object.entries(locales)) {
        this.emitFile({
          type: 'asset',
          fileName: `sendauth-elements.${lang}.js`,
          source:
            `/* @sendauth/elements: "${lang}" strings for the drop-in file; load it after sendauth-elements.iife.js. */\n` +
            `(function(e){if(!e)throw new Error("sendauth-elements.${lang}.js: load sendauth-elements.iife.js first");` +
            `e.registerLanguage(${JSON.stringify(lang)},${JSON.stringify(strings)})})(globalThis.SendAuthElements);\n`,
        });
      }
    },
  };
}

/**
 * The browser bundle: `dist/sendauth-elements.js` (ES module, `exports["."]`)
 * and `dist/sendauth-elements.iife.js` (the drop-in `<script src>` file). Both
 * self-contained: lit and @simplewebauthn/browser are bundled in.
 * `SENDAUTH_BUILD_OUT_DIR` lets the bundle test build into a temp directory.
 */
export default defineConfig({
  // Nothing from public/ or an index.html: this is a library build only.
  publicDir: false,
  logLevel: 'warn',
  plugins: [dropInLocales({ de, fr }), minifyCssLiterals()],
  build: {
    target: 'es2022',
    outDir: process.env.SENDAUTH_BUILD_OUT_DIR ?? 'dist',
    // tsc writes the server entries and the .d.ts files into dist/ first.
    emptyOutDir: false,
    minify: true,
    sourcemap: false,
    copyPublicDir: false,
    lib: {
      entry: fileURLToPath(new URL('./src/index.ts', import.meta.url)),
      name: 'SendAuthElements',
      formats: ['es', 'iife'],
      fileName: (format) => (format === 'es' ? 'sendauth-elements.js' : `sendauth-elements.${format}.js`),
    },
    // No `external`: the drop-in file must load on a page with nothing else. Vite leaves
    // whitespace in ES library output; minify it as fully as the IIFE.
    rolldownOptions: { output: { minify: true } },
  },
});
