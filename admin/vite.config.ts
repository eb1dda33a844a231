/**
 * The dashboard's own build (issue 11): `npm run build:admin` writes `dist/admin/`, which crs-cds
 * serves at /admin. Module scripts and CSS files only, so helmet's default CSP (script-src 'self')
 * holds with no exception.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/admin/',
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('../dist/admin', import.meta.url)),
    emptyOutDir: true,
    // No inline module-preload polyfill and no data: URLs for assets.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    target: 'es2022',
  },
});
