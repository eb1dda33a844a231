/**
 * The express app of crs-cds (CDS Hooks 2.0, https://cds-hooks.hl7.org/2.0/). `createApp` only builds;
 * server.ts listens, so tests drive the app in-process. Order matters: helmet and CORS first (a
 * preflight is answered before any authentication), then the authentication slot on hook and
 * feedback routes (before their bodies are parsed), then what is decided before a body is read (the
 * service exists, the body is JSON, admission), then parsing, logging, routes, 405 for a known path
 * with another method, 404 and the one error middleware.
 */
import { randomUUID } from 'node:crypto';
import cors from 'cors';
import express, { type RequestHandler } from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import { appRoutes } from '../app-host/app-routes.js';
import { authStatus } from '../auth/auth-status.js';
import { hashPatientRef } from '../auth/log-safety.js';
import { ASSESSMENT_EXTENSION } from '../grading/assessment.js';
import type { CdsHooksResponse } from '../recommend/card-types.js';
import { createMetrics, type Metrics } from '../metrics.js';
import { adminRoutes } from '../admin/admin-routes.js';
import { createHookAuditor } from '../audit/hook-auditor.js';
import type { AuditStore } from '../storage/audit-store.js';
import type { FeedbackStore } from '../storage/feedback-store.js';
import { createAdmission } from './admission.js';
import { callOrigin } from './call-origin.js';
import { callService } from './call-service.js';
import { discoveryResponse } from './discovery.js';
import { ProtocolError, UnknownServiceError } from './errors.js';
import { errorHandler } from './http-errors.js';
import { JSON_MEDIA_TYPES, requireJsonBody } from './json-body.js';
import { DEFAULT_HOOK_BODY_LIMITS, hookBodyLimits, jsonDepthLimit, jsonDepthVerify } from './limits.js';
import { methodNotAllowed } from './method-not-allowed.js';
import { validateFeedback } from './request-schema.js';
import type { RuntimeSnapshot } from './runtime.js';

export interface AppDeps {
  /** The current runtime; read ONCE per request. */
  readonly runtime: () => RuntimeSnapshot;
  readonly logger: Logger;
  readonly feedbackStore: FeedbackStore;
  /** Evaluation time of a hook call (tests inject); default the wall clock. */
  readonly now?: () => Date;
  /** Readiness beyond storage (e.g. configuration loaded); /readyz also requires the feedback store to answer. */
  readonly isReady?: () => Promise<boolean>;
  /** Authentication of hook and feedback calls (security layer); absent = none. */
  readonly authenticate?: RequestHandler;
  /** Outbound URL guard for FHIR reads; throwing = not fetchable. */
  readonly checkOutboundUrl?: (url: URL) => Promise<void>;
  /** Metrics on their own Registry; default a new one. */
  readonly metrics?: Metrics;
  /** The built CRS timeline app served under /app/ (tests pass a fresh build); default `dist/app/`. */
  readonly appDir?: string;
  /** The audit trail of answered cards (issue 11); absent = none recorded. */
  readonly auditStore?: AuditStore;
  /** `CRS_CDS_ADMIN_TOKEN`: with an audit store, serves /analytics and /admin; absent = both 404. */
  readonly adminToken?: string;
  /** The built dashboard directory (tests); default `dist/admin`. */
  readonly dashboardDir?: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const QUIET_PATHS: ReadonlySet<string> = new Set(['/healthz', '/readyz', '/metrics']);

interface CallLocals {
  serviceId?: string;
  /** The runtime of a hook call, read once before its body (service, limits) and used to the end. */
  snapshot?: RuntimeSnapshot;
  started?: number;
  /** What the hook call answered, for its log line: the grade, and the patient only as a keyed hash. */
  answered?: { grade: string; cards: number; patientHash?: string };
}

/**
 * The grade label of an answer: the assessment's grade, `indeterminate` (contract revision 2: `grade`
 * omitted, `indeterminate: true`), or `unmonitored` (no assessment).
 */
function gradeLabel(response: CdsHooksResponse): string {
  const assessment = response.extension?.[ASSESSMENT_EXTENSION] as { grade?: unknown; indeterminate?: unknown } | undefined;
  if (assessment === undefined) return 'unmonitored';
  if (assessment.indeterminate === true || typeof assessment.grade !== 'number') return 'indeterminate';
  return String(assessment.grade);
}

const passThrough: RequestHandler = (_req, _res, next) => next();

/** The enabled service with this id, or 404. */
function findService(snapshot: RuntimeSnapshot, id: string | string[] | undefined) {
  const service = snapshot.services.find((candidate) => candidate.id === id);
  if (service === undefined) {
    throw new UnknownServiceError();
  }
  return service;
}

/**
 * Builds the app.
 * @param deps - runtime, logger, storage, clock, readiness, authentication and outbound guard
 */
export function createApp(deps: AppDeps): express.Express {
  const metrics = deps.metrics ?? createMetrics();
  const now = deps.now ?? (() => new Date());
  const isReady = async (): Promise<boolean> => (await deps.feedbackStore.ping()) && (await (deps.isReady?.() ?? true));
  const audit =
    deps.auditStore === undefined
      ? undefined
      : createHookAuditor(deps.auditStore, deps.logger, (service) => metrics.auditWriteFailures.inc({ service }));
  // HTTP limits are read once: the middleware is built here, not per request.
  const { http } = deps.runtime().config;
  const app = express();
  app.disable('x-powered-by');
  // Hook answers are never cached: hashing every body for an ETag is wasted work.
  app.set('etag', false);
  app.set('trust proxy', false);

  app.use(helmet());
  app.use(
    cors({
      origin: http.corsOrigins.includes('*') ? '*' : [...http.corsOrigins],
      methods: ['GET', 'POST', 'OPTIONS'],
      allowedHeaders: ['Content-Type', 'Authorization'],
      maxAge: 600,
    }),
  );
  app.use((req, res, next) => {
    const locals = res.locals as CallLocals;
    locals.started = performance.now();
    res.once('finish', () => {
      const service = locals.serviceId ?? '-';
      const status = String(res.statusCode);
      metrics.requests.inc({ service, method: req.method, status });
      metrics.requestSeconds.observe({ service, status }, (performance.now() - (locals.started ?? 0)) / 1000);
    });
    next();
  });
  // Hook and feedback calls: authenticated before their bodies are parsed.
  app.use('/cds-services/:id', deps.authenticate ?? passThrough);
  // Decided before a byte of a hook body is read: the service exists, the body is JSON, there is room.
  const admission = createAdmission(
    {
      maxActive: http.maxConcurrentPerService,
      maxActiveBytes: http.maxConcurrentBytesPerService,
      unknownLengthBytes: http.bodyLimitBytes,
      maxQueued: http.maxQueuedPerService,
      maxQueueWaitMs: http.maxQueueWaitMs,
      retryAfterSeconds: 1,
    },
    (req) => String(req.params['id']),
    (reason, service) => metrics.shed.inc({ service, reason }),
  );
  app.post(
    '/cds-services/:id',
    (req, res, next) => {
      const locals = res.locals as CallLocals;
      locals.snapshot = deps.runtime();
      locals.serviceId = findService(locals.snapshot, req.params['id']).id;
      next();
    },
    requireJsonBody(),
    admission,
  );
  app.post('/cds-services/:id/feedback', requireJsonBody());
  // Only hook and feedback calls carry bodies; nothing else is parsed.
  app.use(
    '/cds-services/:id',
    express.json({
      limit: http.bodyLimitBytes,
      type: [...JSON_MEDIA_TYPES],
      // Large bodies are scanned before they are parsed, the others walked once parsed (limits.ts).
      verify: jsonDepthVerify(),
    }),
    jsonDepthLimit(),
  );
  app.use(
    pinoHttp({
      logger: deps.logger,
      genReqId: (req) => {
        const hookInstance = (req as { body?: { hookInstance?: unknown } }).body?.hookInstance;
        return typeof hookInstance === 'string' && UUID.test(hookInstance) ? hookInstance : randomUUID();
      },
      autoLogging: { ignore: (req) => QUIET_PATHS.has(req.url ?? '') },
      customAttributeKeys: { responseTime: 'durationMs' },
      customProps: (_req, res) => {
        const locals = res.locals as CallLocals;
        return { service: locals.serviceId, ...locals.answered };
      },
      serializers: {
        req: (req: { id?: unknown; method?: string; url?: string }) => ({
          id: req.id,
          method: req.method,
          path: (req.url ?? '').split('?')[0],
        }),
        res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
      },
    }),
  );

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const ready = await isReady().catch(() => false);
    // Authentication off is a deployment risk, not unreadiness: shown here, warned at start-up.
    const authentication = authStatus(deps.runtime().config.auth);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', authentication });
  });
  app.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  // The CRS timeline, a SMART on FHIR app (https://hl7.org/fhir/smart-app-launch/app-launch.html).
  app.use('/app', appRoutes(deps.runtime, deps.appDir));

  // Discovery: https://cds-hooks.hl7.org/2.0/#discovery (authenticated only when auth.requireOnDiscovery)
  app.get('/cds-services', deps.authenticate ?? passThrough, (_req, res) => {
    res.json(discoveryResponse(deps.runtime().services));
  });

  // Calling a CDS Service: https://cds-hooks.hl7.org/2.0/#calling-a-cds-service
  app.post(
    '/cds-services/:id',
    // jsonDepthLimit has already refused bodies nesting too deeply.
    hookBodyLimits(DEFAULT_HOOK_BODY_LIMITS, true),
    async (req, res) => {
      // Read before the body was, by the first POST route of this path.
      const snapshot = (res.locals as CallLocals).snapshot as RuntimeSnapshot;
      const service = findService(snapshot, req.params.id);
      (res.locals as CallLocals).serviceId = service.id;
      const response = await callService(service, req.body, {
        snapshot,
        evaluatedAt: now(),
        origin: callOrigin(req),
        checkOutboundUrl: deps.checkOutboundUrl,
        onRead: (outcome, seconds) => {
          metrics.fhirReadSeconds.observe({ outcome }, seconds);
          if (outcome !== 'ok') {
            metrics.fhirReadFailures.inc({ outcome });
          }
        },
      });
      const grade = gradeLabel(response);
      // A validated request always names the patient (every hook context requires it).
      const patientHash = hashPatientRef(`Patient/${String((req.body as { context: { patientId: unknown } }).context.patientId)}`);
      (res.locals as CallLocals).answered = { grade, cards: response.cards.length, patientHash };
      metrics.assessments.inc({ service: service.id, grade });
      // Before the answer is sent: feedback on a card always finds its record. Never throws.
      await audit?.(response, { serviceId: service.id, configVersion: snapshot.configVersion, patientHash, answeredAt: now() }, snapshot.config.treatment);
      res.json(response);
    },
  );

  // Feedback: https://cds-hooks.hl7.org/2.0/#feedback
  app.post('/cds-services/:id/feedback', async (req, res) => {
    const service = findService(deps.runtime(), req.params.id);
    (res.locals as CallLocals).serviceId = service.id;
    const entries = validateFeedback(req.body);
    await deps.feedbackStore.save(service.id, entries, now());
    for (const entry of entries) {
      metrics.feedback.inc({
        service: service.id,
        outcome: entry.outcome,
        reason: metrics.reasonLabel(entry.overrideReason?.reason?.code),
      });
    }
    res.status(200).end();
  });

  if (deps.adminToken !== undefined && deps.auditStore !== undefined) {
    app.use(
      adminRoutes({
        token: deps.adminToken,
        auditStore: deps.auditStore,
        runtime: deps.runtime,
        now,
        ...(deps.dashboardDir === undefined ? {} : { dashboardDir: deps.dashboardDir }),
      }),
    );
  }

  app.use(methodNotAllowed(app.router));
  app.use(() => {
    throw new ProtocolError(404, 'not-found', 'Not found');
  });
  app.use(errorHandler(deps.logger));
  return app;
}
