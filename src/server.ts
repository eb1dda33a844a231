/**
 * Starts crs-cds: reads configuration (CRS_CDS_CONFIG, else the built-in defaults), builds the
 * dependencies, listens on 0.0.0.0:${PORT:-3000}. SIGHUP reloads configuration and card templates
 * together; an invalid file is refused and the running configuration kept. `auth`, `http` and
 * `storage` are read once at start-up (they shape the listener and middleware): changing them needs
 * a restart. SIGTERM (or SIGINT) drains: new connections refused, calls in flight finished within
 * `http.drainTimeoutMs`, storage closed.
 */
import type { AddressInfo } from 'node:net';
import { authStatus } from './auth/auth-status.js';
import { createAuthenticator } from './auth/authenticate.js';
import { ConfigError } from './config/config-error.js';
import { loadConfigFromEnv } from './config/load-config.js';
import { createReloadable } from './config/reloadable.js';
import type { Config } from './config/types.js';
import { configWarnings } from './config/warnings.js';
import { buildRuntime } from './engine/build-runtime.js';
import { createOutboundGuard } from './fhir/outbound-guard.js';
import { createLogger } from './logger.js';
import { createMetrics } from './metrics.js';
import { createApp } from './protocol/app.js';
import { createHttpServer } from './protocol/http-server.js';
import { stopGracefully } from './protocol/graceful-stop.js';
import { openStorage, type Storage } from './storage/storage.js';

const LOG_LEVELS = new Set(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);
const levelText = process.env.LOG_LEVEL || 'info';
const logger = createLogger(LOG_LEVELS.has(levelText) ? levelText : 'info');
if (!LOG_LEVELS.has(levelText)) {
  logger.fatal(`LOG_LEVEL must be one of ${[...LOG_LEVELS].join(', ')}; not starting`);
  process.exit(1);
}
const port = Number(process.env.PORT || 3000);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  logger.fatal('PORT must be a whole number from 0 to 65535; not starting');
  process.exit(1);
}

/** Sections that shape the listener and middleware: read once, so a reload keeps the running values. */
const STARTUP_ONLY = ['auth', 'http', 'storage'] as const;

/** The loaded configuration with the start-up-only sections of the running one; warns when they differ. */
function withStartupSections(loaded: Config, running: Config | undefined): Config {
  if (running === undefined) return loaded;
  const changed = STARTUP_ONLY.filter((key) => JSON.stringify(loaded[key]) !== JSON.stringify(running[key]));
  if (changed.length > 0) {
    logger.warn({ sections: changed }, 'configuration reload: these sections take effect only after a restart; their running values stay');
  }
  return { ...loaded, auth: running.auth, http: running.http, storage: running.storage };
}

function startupFailure(error: unknown): never {
  if (error instanceof ConfigError) {
    logger.fatal({ problems: error.problems, file: error.file }, 'invalid configuration; not starting');
  } else {
    logger.fatal({ error: error instanceof Error ? error.message : 'unknown' }, 'cannot start');
  }
  process.exit(1);
}

let running: Config | undefined;
let runtime;
try {
  runtime = createReloadable(() => buildRuntime(withStartupSections(loadConfigFromEnv(process.env), running)), logger);
} catch (error) {
  startupFailure(error);
}
const holder = runtime;
const config = holder.current().config;
running = config;
for (const warning of configWarnings(config)) logger.warn({ event: 'config.warning' }, warning);

// The outbound guard follows the allowlist of the configuration in force (reloadable).
const guards = new WeakMap<Config, (url: URL) => Promise<void>>();
const checkOutboundUrl = (url: URL): Promise<void> => {
  const current = holder.current().config;
  let guard = guards.get(current);
  if (guard === undefined) {
    guard = createOutboundGuard(current.fhir.allowedServers);
    guards.set(current, guard);
  }
  return guard(url);
};

let opened: Storage | undefined;
let authenticate;
try {
  opened = await openStorage(config.storage, { env: process.env, logger });
  authenticate = createAuthenticator(config.auth, {
    logger,
    requireOnDiscovery: config.auth.requireOnDiscovery === true,
    replayCache: opened.replayCache,
    rateLimitStore: opened.rateLimitStore,
  });
} catch (error) {
  await opened?.close();
  startupFailure(error);
}
const storage = opened;
let draining = false;
const app = createApp({
  runtime: () => holder.current(),
  logger,
  feedbackStore: storage.feedback,
  // Not ready while draining, so a load balancer stops sending calls here.
  isReady: async () => !draining,
  metrics: createMetrics({ defaultMetrics: true }),
  authenticate,
  checkOutboundUrl,
});
const server = createHttpServer(app, config.http).listen(port, '0.0.0.0', () => {
  // The bound port, not the requested one: PORT=0 picks a free port (tests).
  const bound = (server.address() as AddressInfo).port;
  logger.info({ port: bound, authentication: authStatus(config.auth) }, 'crs-cds listening');
});

process.on('SIGHUP', () => {
  holder.reload();
});
const shutdown = (signal: string): void => {
  draining = true;
  const stop = { server, drainTimeoutMs: config.http.drainTimeoutMs, closeStorage: storage.close, logger };
  void stopGracefully(stop, signal).then((status) => process.exit(status));
};
process.once('SIGTERM', () => shutdown('SIGTERM'));
process.once('SIGINT', () => shutdown('SIGINT'));
