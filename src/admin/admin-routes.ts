/**
 * The informatics endpoints (issue 11): `GET /analytics` (JSON, bearer token) and `GET /admin` (the
 * dashboard, static files built by Vite from `admin/`). Mounted only when `CRS_CDS_ADMIN_TOKEN` is set,
 * so without it both fall through to the app's 404.
 *
 * The page shell holds no data and is served without the token (a browser cannot send a bearer header
 * on navigation); the page asks for the token, keeps it in memory only, and sends it as a bearer header
 * to /analytics. Everything it shows comes from /analytics.
 */
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Router } from 'express';
import { AnalyticsRangeError, parseAnalyticsRange } from '../analytics/analytics-range.js';
import { loadAnalytics } from '../analytics/load-analytics.js';
import { InvalidRequestError, ProtocolError } from '../protocol/errors.js';
import type { RuntimeSnapshot } from '../protocol/runtime.js';
import type { AuditStore } from '../storage/audit-store.js';
import { requireAdminToken } from './admin-token.js';

export interface AdminDeps {
  readonly token: string;
  readonly auditStore: AuditStore;
  readonly runtime: () => RuntimeSnapshot;
  readonly now: () => Date;
  /** The built dashboard; default `dist/admin` of this package. */
  readonly dashboardDir?: string;
}

/** `dist/admin` from `src/admin/` (tsx) and from `dist/src/admin/` (compiled). */
export function builtDashboardDir(): string {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  return basename(root) === 'dist' ? join(root, 'admin') : join(root, 'dist', 'admin');
}

/**
 * @param deps - token, audit store, runtime, clock and the dashboard directory
 */
export function adminRoutes(deps: AdminDeps): Router {
  const router = express.Router();
  const dashboardDir = deps.dashboardDir ?? builtDashboardDir();

  router.get('/analytics', requireAdminToken(deps.token), async (req, res) => {
    let range;
    try {
      range = parseAnalyticsRange(req.query, deps.now());
    } catch (error) {
      if (error instanceof AnalyticsRangeError) throw new InvalidRequestError(error.message, [error.field]);
      throw error;
    }
    const analytics = await loadAnalytics(deps.auditStore, range, deps.runtime().config);
    res.set('Cache-Control', 'no-store').json(analytics);
  });

  const page = join(dashboardDir, 'index.html');
  router.use('/admin', (_req, _res, next) => {
    if (!existsSync(page)) throw new ProtocolError(503, 'exception', 'The dashboard is not built (npm run build:admin)');
    next();
  });
  // The shell at /admin and /admin/ (its asset URLs are absolute, /admin/assets/...), the assets below.
  router.get(['/admin', '/admin/'], (_req, res) => {
    res.set('Cache-Control', 'no-cache').sendFile(page);
  });
  router.use('/admin', express.static(dashboardDir, { index: false, redirect: false, immutable: true, maxAge: '365d' }));
  return router;
}
