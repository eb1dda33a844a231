/**
 * The one place that knows fhirclient. A small reader bound to one hook call: the `fhirServer` base,
 * the hook's bearer token and one abort signal (the call's FHIR budget). It never sends the token
 * beyond the base it was issued for, never follows redirects (3xx is a failure) and turns every
 * failure into an error that carries no URL or body (fhirclient's own messages hold both: PHI).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import smart from 'fhirclient';
import { isAllowedServer } from './allowed-servers.js';
import { createGuardedAgents } from './outbound-guard.js';

/**
 * Agents whose DNS lookup refuses link-local and metadata addresses: the guard checks a name before
 * the read, and this checks it again when the socket connects, so a name that re-resolves to a
 * metadata address in between (DNS rebinding) is still refused.
 */
const GUARDED_AGENTS = createGuardedAgents();

/** The http and https agents outbound reads connect through. */
export type OutboundAgents = ReturnType<typeof createGuardedAgents>;

/** The FHIR server answered with a non-2xx status (3xx included: redirects are not followed). */
export class FhirHttpError extends Error {
  constructor(readonly status: number) {
    super(`FHIR server answered HTTP ${status}`);
    this.name = 'FhirHttpError';
  }
}

/** Why a FHIR read failed without an HTTP status. */
export type FhirAccessReason = 'timeout' | 'network' | 'invalid-response' | 'not-allowed' | 'too-large';

/** A FHIR read that failed before or without an HTTP status (timeout, refused URL, garbage body). */
export class FhirAccessError extends Error {
  constructor(readonly reason: FhirAccessReason) {
    super(`FHIR access failed: ${reason}`);
    this.name = 'FhirAccessError';
  }
}

export interface FhirClientOptions {
  /** The hook's `fhirServer`. */
  readonly serverUrl: string;
  /** `fhirAuthorization.access_token`, sent only to `serverUrl`'s origin and path. */
  readonly accessToken?: string;
  /** Aborts every read (the call's FHIR budget). */
  readonly signal: AbortSignal;
  /** Most bytes read from one response (`fhir.maxResponseBytes`); the read is aborted beyond. Absent = no cap. */
  readonly maxResponseBytes?: number;
  /** `fhir.allowedServers`. */
  readonly allowedServers: readonly string[];
  /** Extra outbound check (SSRF guard); throwing = not fetchable. */
  readonly checkOutboundUrl?: (url: URL) => Promise<void>;
  /** Observes every read: its outcome label and duration in seconds (metrics). */
  readonly onRead?: (outcome: string, seconds: number) => void;
  /** Connection agents; default the module's guarded agents (tests inject a fake resolver). */
  readonly agents?: OutboundAgents;
}

export interface FhirReader {
  readonly serverUrl: URL;
  /**
   * GETs a relative FHIR URL (`Observation?...`, `Patient/1`) or an absolute URL under `serverUrl`.
   * @returns the parsed JSON body
   */
  readonly read: (relativeOrAbsolute: string) => Promise<unknown>;
}

/** A storage object for fhirclient; without one a 401 turns into a TypeError (stack.md). */
function memoryStorage(): { get: (k: string) => Promise<unknown>; set: (k: string, v: unknown) => Promise<unknown>; unset: (k: string) => Promise<boolean> } {
  const values = new Map<string, unknown>();
  return {
    get: async (key) => values.get(key),
    set: async (key, value) => {
      values.set(key, value);
      return value;
    },
    unset: async (key) => values.delete(key),
  };
}

const segmentsOf = (url: URL): string[] => url.pathname.split('/').filter((s) => s.length > 0);

/** Whether `url` is on `base`'s origin and below its path (where the token may go). */
export function isUnderBase(url: URL, base: URL): boolean {
  const baseSegments = segmentsOf(base);
  const urlSegments = segmentsOf(url);
  return url.origin === base.origin && baseSegments.every((segment, i) => urlSegments[i] === segment);
}

/** Maps anything fhirclient or fetch throws to an error without URL or body. */
function toSafeError(error: unknown, signal: AbortSignal): Error {
  if (error instanceof FhirHttpError || error instanceof FhirAccessError) {
    return error;
  }
  if (signal.aborted) {
    return new FhirAccessError('timeout');
  }
  // node-fetch's error once a body passes the `size` option.
  if ((error as { type?: unknown } | null)?.type === 'max-size') {
    return new FhirAccessError('too-large');
  }
  const status = (error as { status?: unknown } | null)?.status;
  if (typeof status === 'number') {
    return new FhirHttpError(status);
  }
  if (error instanceof SyntaxError) {
    return new FhirAccessError('invalid-response');
  }
  return new FhirAccessError('network');
}

const outcomeLabel = (error: Error | undefined): string => {
  if (error === undefined) {
    return 'ok';
  }
  return error instanceof FhirHttpError ? `http_${error.status}` : ((error as FhirAccessError).reason ?? 'network');
};

/**
 * Creates a reader for one hook call.
 * @param opts - server, token, signal, allowlist and guard
 * @throws FhirAccessError('not-allowed') when `serverUrl` is not a usable, allowlisted URL
 */
export function createFhirClient(opts: FhirClientOptions): FhirReader {
  let base: URL;
  try {
    base = new URL(opts.serverUrl.replace(/\/+$/, ''));
  } catch {
    throw new FhirAccessError('not-allowed');
  }
  if (!isAllowedServer(base, opts.allowedServers) || base.username !== '' || base.password !== '') {
    throw new FhirAccessError('not-allowed');
  }
  // Relative URLs resolve against the base as a directory: `http://host:port/` + `Patient/1`, never
  // `http://host:port//Patient/1` (a request-target servers read as a host named "Patient").
  const baseDirectory = base.href.endsWith('/') ? base.href : `${base.href}/`;
  const request = { url: '/', method: 'GET', headers: {} } as unknown as IncomingMessage;
  const client = smart(request, {} as ServerResponse, memoryStorage()).client({
    serverUrl: base.href,
    tokenResponse: opts.accessToken === undefined ? {} : { access_token: opts.accessToken, token_type: 'Bearer' },
  });

  const agents = opts.agents ?? GUARDED_AGENTS;
  const agentFor = (url: URL): unknown => (url.protocol === 'https:' ? agents.https : agents.http);

  const read = async (relativeOrAbsolute: string): Promise<unknown> => {
    const started = performance.now();
    let failure: Error | undefined;
    // Ends this read alone (its socket closed) when it fails, e.g. past `size`, while other reads go on.
    const ended = new AbortController();
    const signal = AbortSignal.any([opts.signal, ended.signal]);
    try {
      const url = /^[a-z][a-z0-9+.-]*:/i.test(relativeOrAbsolute)
        ? new URL(relativeOrAbsolute)
        : new URL(relativeOrAbsolute.replace(/^\/+/, ''), baseDirectory);
      // The token belongs to this server only: a link elsewhere is never fetched (fhirclient would send it).
      if (!isUnderBase(url, base) || !isAllowedServer(url, opts.allowedServers)) {
        throw new FhirAccessError('not-allowed');
      }
      if (opts.checkOutboundUrl !== undefined) {
        try {
          await opts.checkOutboundUrl(url);
        } catch {
          throw new FhirAccessError('not-allowed');
        }
      }
      opts.signal.throwIfAborted();
      const body: unknown = await client.request(
        // `agent` is node-fetch's option (fhirclient uses node-fetch in Node); RequestInit does not declare it.
        {
          url: url.href,
          signal,
          redirect: 'manual',
          headers: { accept: 'application/fhir+json' },
          agent: agentFor,
          // node-fetch stops reading past `size` bytes; aborting `ended` then closes the socket.
          size: opts.maxResponseBytes ?? 0,
        } as RequestInit & { url: string },
        { pageLimit: 1 },
      );
      if (body === null || typeof body !== 'object' || Array.isArray(body)) {
        throw new FhirAccessError('invalid-response');
      }
      return body;
    } catch (error) {
      failure = toSafeError(error, opts.signal);
      ended.abort();
      throw failure;
    } finally {
      opts.onRead?.(outcomeLabel(failure), (performance.now() - started) / 1000);
    }
  };
  return { serverUrl: base, read };
}
