/**
 * Everything the CRS timeline app needs to run for real on loopback: a fresh Vite build of `app/`, the
 * crs-cds service serving it (createApp), a FHIR server (medplum) holding one synthetic patient with
 * CORS and SMART discovery, and a SMART authorization server. Used by the browser tests, the render
 * benchmark and the README screenshot script.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Resource } from 'fhir/r4.js';
import { build } from 'vite';
import type { Config } from '../../src/config/types.js';
import { createApp } from '../../src/protocol/app.js';
import { openSqliteFeedbackStore } from '../../src/storage/sqlite-feedback-store.js';
import { startFhirServer, type TestFhirServer } from './fhir-server.js';
import { buildRuntime } from '../../src/engine/build-runtime.js';
import { memoryLogger } from './hook-requests.js';
import { listenOnLoopback } from './listen.js';
import { startSmartAuthServer, type SmartAuthServer } from './smart-auth-server.js';

/** The access token the authorization server issues (the suite log scan looks for it). */
export const TIMELINE_ACCESS_TOKEN = 'timeline-access-token-8c1f44';

/** Builds `app/` with its own Vite config into a new temporary directory. */
export async function buildTimelineApp(): Promise<{ readonly dir: string; readonly remove: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), 'crs-app-build-'));
  await build({
    configFile: fileURLToPath(new URL('../../app/vite.config.ts', import.meta.url)),
    logLevel: 'error',
    build: { outDir: dir, emptyOutDir: true },
  });
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface TimelineStack {
  /** crs-cds, e.g. `http://127.0.0.1:40001`. */
  readonly serviceUrl: string;
  readonly fhir: TestFhirServer;
  readonly auth: SmartAuthServer;
  /** Paths (with query) the browser asked crs-cds for. */
  readonly serviceRequests: string[];
  /** Log lines crs-cds wrote. */
  readonly logLines: string[];
  readonly close: () => Promise<void>;
}

/**
 * Starts the stack.
 * @param appDir - a built app (buildTimelineApp)
 * @param resources - the FHIR server's content
 * @param config - crs-cds configuration (e.g. `fhir.allowedServers`)
 * @param standalonePatient - who a standalone launch picks
 */
export async function startTimelineStack(appDir: string, resources: readonly Resource[], config: Config, standalonePatient: string): Promise<TimelineStack> {
  const { logger, lines } = memoryLogger();
  const serviceRequests: string[] = [];
  const runtime = buildRuntime(config);
  const app = createApp({ runtime: () => runtime, logger, feedbackStore: openSqliteFeedbackStore(':memory:'), appDir });
  const service = await listenOnLoopback((req, res) => {
    serviceRequests.push(req.url ?? '');
    app(req, res);
  });
  let auth: SmartAuthServer | undefined;
  const fhir = await startFhirServer(resources, {
    smartApp: {
      appOrigin: service.baseUrl,
      accessToken: TIMELINE_ACCESS_TOKEN,
      smartConfiguration: () => auth?.smartConfiguration() ?? {},
    },
  });
  auth = await startSmartAuthServer({
    clientId: config.app.clientId,
    redirectUri: `${service.baseUrl}/app/`,
    fhirBaseUrl: fhir.baseUrl,
    standalonePatient,
    appOrigin: service.baseUrl,
    accessToken: TIMELINE_ACCESS_TOKEN,
  });
  const authServer = auth;
  return {
    serviceUrl: service.baseUrl,
    fhir,
    auth: authServer,
    serviceRequests,
    logLines: lines,
    close: async () => {
      await Promise.all([service.close(), fhir.close(), authServer.close()]);
    },
  };
}
