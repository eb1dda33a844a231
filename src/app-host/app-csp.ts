/**
 * The Content-Security-Policy of the CRS timeline app (`/app/`). Everything else keeps helmet's default
 * policy. The app differs in two ways only: its browser code talks to the EHR (the FHIR server named by
 * the launch's `iss`, and the EHR's token endpoint), and an EHR may show it in a frame. So `connect-src`
 * lists this origin, the FHIR servers the service itself may call (`fhir.allowedServers`) and the
 * configured authorization servers (`app.authorizationServers`); `frame-ancestors` adds
 * `app.frameAncestors`. A launch from any other FHIR server is blocked by the browser.
 */
import helmet from 'helmet';
import type { Config } from '../config/types.js';

type Directives = Record<string, string[]>;

/**
 * A `fhir.allowedServers` entry as a CSP source: the same scheme, host and port (`*` is CSP's any-port
 * too); a path becomes a prefix (CSP matches a path ending in `/` as a prefix). CSP cannot express an
 * IPv6 literal host, so such an entry is left out (the app cannot reach that server).
 * @param entry - e.g. `https://fhir.example.org/r4`, `http://127.0.0.1:*`
 */
export function cspSourceOf(entry: string): string | undefined {
  const match = /^(https?:\/\/)([^/[\]]+)(\/.*)?$/.exec(entry);
  if (match === null) return undefined;
  const [, scheme, host, path] = match;
  const prefix = path === undefined || path === '/' ? '' : path.endsWith('/') ? path : `${path}/`;
  return `${scheme}${host}${prefix}`;
}

/**
 * The app's CSP directives: helmet's defaults with `connect-src` and `frame-ancestors` opened as above,
 * and `upgrade-insecure-requests` kept only when every source is https (a loopback test server is http).
 * @param config - `fhir.allowedServers` and the `app` section
 */
export function appCspDirectives(config: Pick<Config, 'fhir' | 'app'>): Directives {
  const defaults = helmet.contentSecurityPolicy.getDefaultDirectives();
  const directives: Directives = {};
  for (const [name, value] of Object.entries(defaults)) directives[name] = [...value].filter((v): v is string => typeof v === 'string');
  const fhirSources = config.fhir.allowedServers.map(cspSourceOf).filter((s): s is string => s !== undefined);
  const connect = ["'self'", ...new Set([...fhirSources, ...config.app.authorizationServers])];
  directives['connect-src'] = connect;
  directives['frame-ancestors'] = ["'self'", ...config.app.frameAncestors];
  // The app draws on canvas and sets styles through the CSSOM: no inline style attribute is needed.
  directives['style-src'] = ["'self'"];
  if (connect.some((source) => source.startsWith('http:'))) delete directives['upgrade-insecure-requests'];
  return directives;
}
