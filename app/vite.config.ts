/**
 * Builds the CRS timeline app (`app/`) into static files under `dist/app/`, which crs-cds serves at
 * `/app/`. Two pages: `index.html` (the app, `/app/`) and `launch.html` (`/app/launch`). The engine
 * (src/evidence, src/grading) is bundled as it is: it imports no Node built-in.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  root: here('.'),
  base: '/app/',
  // fhirclient's "pure" browser build: no fetch or AbortController polyfills (every supported browser has them).
  define: { FHIRCLIENT_PURE: 'true' },
  resolve: { alias: { 'isomorphic-webcrypto': here('src/webcrypto.ts') } },
  build: {
    outDir: here('../dist/app'),
    emptyOutDir: true,
    // Marks a built app for the server (src/app-host/app-routes.ts).
    manifest: true,
    // No inline polyfill script: the app's CSP allows scripts from its own origin only.
    modulePreload: { polyfill: false },
    target: 'es2022',
    sourcemap: false,
    rollupOptions: { input: { index: here('index.html'), launch: here('launch.html') } },
  },
});
