/**
 * The launch URL of the CRS timeline app that patient-view cards link to (contract: `app.launchUrl`, on
 * by default). CDS Hooks 2.0 links are absolute: `app.launchUrl` when set, else derived from
 * `auth.audience` (the public base URL the EHR already signs its calls for), else from the origin the EHR
 * called (protocol and Host as express reads them, a plain host only: src/protocol/call-origin.ts).
 * Configured values win: behind a proxy the Host names an internal host or plain http.
 */
import type { Config } from './types.js';

/** The app's EHR-launch path relative to the service root (served by src/app-host). */
const LAUNCH_PATH = 'app/launch';

/** `https://cds.example.org/crs/cds-services` → `https://cds.example.org/crs/app/launch`. */
function fromAudience(audience: string): string | undefined {
  if (!URL.canParse(audience)) return undefined;
  const root = new URL(audience);
  root.pathname = root.pathname.replace(/\/+$/, '').replace(/\/cds-services$/, '') + '/';
  root.search = '';
  root.hash = '';
  return new URL(LAUNCH_PATH, root).toString();
}

/**
 * The absolute launch URL, or undefined when it cannot be known (nothing configured and no origin).
 * `https://cds.example.org/cds-services` gives `https://cds.example.org/app/launch`; a path prefix
 * (`https://host/crs/cds-services`) is kept; the origin `http://127.0.0.1:3000` gives
 * `http://127.0.0.1:3000/app/launch`.
 * @param config - `app` and `auth` sections
 * @param origin - the origin the EHR called (absent in the CLI)
 */
export function timelineLaunchUrl(config: Pick<Config, 'app' | 'auth'>, origin?: string): string | undefined {
  if (config.app.launchUrl !== undefined) return config.app.launchUrl;
  if (config.auth.audience !== undefined) return fromAudience(config.auth.audience);
  return origin === undefined ? undefined : new URL(LAUNCH_PATH, `${origin}/`).toString();
}
