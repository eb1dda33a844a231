/**
 * Serves the CRS timeline, a SMART on FHIR app (contract: `/app/`, `/app/launch`), from the static
 * files `npm run build:app` writes to `dist/app/`, and the site's effective non-secret configuration
 * the app grades with (`/app/config.json`): grading, code lists, treatment and the OAuth client id. The
 * app grades in the browser with the service's own engine, so no patient data comes back here.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type RequestHandler, type Router } from 'express';
import helmet from 'helmet';
import type { Config } from '../config/types.js';
import { ProtocolError } from '../protocol/errors.js';
import type { RuntimeSnapshot } from '../protocol/runtime.js';
import { appCspDirectives } from './app-csp.js';

/** What the app reads from `/app/config.json`. */
export type AppSettings = Pick<Config, 'grading' | 'codeLists' | 'treatment'> & { readonly clientId: string };

/** Written by Vite (`build.manifest`): marks a built app, as opposed to the `app/` sources. */
const MANIFEST = '.vite/manifest.json';

/** `dist/app/` of the checkout (from `src/app-host/`) or of the image (from `dist/src/app-host/`). */
function builtAppDirectory(): string {
  const candidates = ['../../dist/app/', '../../app/'].map((rel) => fileURLToPath(new URL(rel, import.meta.url)));
  return candidates.find((dir) => existsSync(join(dir, MANIFEST))) ?? (candidates[0] as string);
}

/**
 * The effective settings the app needs (nothing secret: no auth, storage or FHIR allowlist).
 * @param config - the running configuration
 */
export function appSettings(config: Config): AppSettings {
  return { clientId: config.app.clientId, grading: config.grading, codeLists: config.codeLists, treatment: config.treatment };
}

/**
 * The `/app` router.
 * @param runtime - the current runtime snapshot (read once per request: a reload changes config.json)
 * @param appDir - the built app (default `builtAppDirectory()`)
 */
export function appRoutes(runtime: () => RuntimeSnapshot, appDir: string = builtAppDirectory()): Router {
  const router = express.Router();
  // The policy follows the configuration in force (a SIGHUP reload changes fhir.allowedServers or app.*).
  const policies = new WeakMap<Config, RequestHandler>();
  router.use((req, res, next) => {
    const { config } = runtime();
    let policy = policies.get(config);
    if (policy === undefined) {
      policy = helmet.contentSecurityPolicy({ useDefaults: false, directives: appCspDirectives(config) });
      policies.set(config, policy);
    }
    // frame-ancestors decides; X-Frame-Options (SAMEORIGIN, from helmet) would forbid the EHR's frame.
    if (config.app.frameAncestors.length > 0) res.removeHeader('X-Frame-Options');
    policy(req, res, next);
  });
  router.use((_req, _res, next) => {
    if (!existsSync(join(appDir, MANIFEST))) {
      throw new ProtocolError(503, 'exception', 'The CRS timeline app is not built: run npm run build:app');
    }
    next();
  });
  router.get('/config.json', (_req, res) => {
    res.set('Cache-Control', 'no-store').json(appSettings(runtime().config));
  });
  // SMART App Launch 2.0 EHR launch: /app/launch?iss=…&launch=… (standalone: iss only).
  router.get('/launch', (_req, res) => {
    res.set('Cache-Control', 'no-cache').sendFile(join(appDir, 'launch.html'));
  });
  router.use(
    express.static(appDir, {
      index: 'index.html',
      dotfiles: 'ignore',
      setHeaders: (res, path) => {
        // Hashed bundle names never change content; the pages must be revalidated.
        res.set('Cache-Control', path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    }),
  );
  return router;
}
