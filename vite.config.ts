import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The browser bundle: `dist/sendauth-elements.js` (ES module, `exports["."]`)
 * and `dist/sendauth-elements.iife.js` (the drop-in `<script src>` file). Both
 * self-contained: lit, ky and @simplewebauthn/browser are bundled in.
 * `SENDAUTH_BUILD_OUT_DIR` lets the bundle test build into a temp directory.
 */
export default defineConfig({
  // Nothing from public/ or an index.html: this is a library build only.
  publicDir: false,
  logLevel: 'warn',
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
