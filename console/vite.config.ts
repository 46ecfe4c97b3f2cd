/**
 * Vite build of the console: console/ (Preact, TypeScript) -> dist/console/, served by the
 * server at /console (src/http/plugins/console.ts). Run by scripts/build.mjs, not by hand.
 *
 * No CDN and no inline script (the page's Content-Security-Policy forbids them): one entry
 * module and its CSS, fingerprinted under assets/, and no module-preload polyfill (it is an
 * inline script in some Vite versions; every browser the console supports preloads natively).
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/console/',
  logLevel: 'warn',
  publicDir: false,
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: fileURLToPath(new URL('../dist/console', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    sourcemap: false,
    reportCompressedSize: false,
    rolldownOptions: {
      // The console imports the domain's transition table, and through it the contract's
      // constants; the TypeBox schemas built beside them at module level are unused here.
      // `Type.*` builders only build objects: declared pure, the unused schemas (and most of
      // TypeBox) are dropped from the bundle.
      treeshake: { manualPureFunctions: ['Type'] },
    },
  },
});
