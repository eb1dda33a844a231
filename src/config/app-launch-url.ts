/**
 * The launch URL of the CRS timeline app that patient-view cards link to (contract: `app.launchUrl`).
 * CDS Hooks 2.0 links are absolute, so the URL comes from configuration only: `app.launchUrl`, else
 * derived from `auth.audience` (the public base URL the EHR already uses for this service). Never from
 * the request's Host header: behind a proxy it names an internal host or plain http, and a client
 * controls it.
 */
import type { Config } from './types.js';

/** The app's EHR-launch path relative to the service root (served by src/app-host). */
const LAUNCH_PATH = 'app/launch';

/**
 * The absolute launch URL, or undefined when it cannot be known (no `app.launchUrl`, no `auth.audience`).
 * `https://cds.example.org/cds-services` gives `https://cds.example.org/app/launch`; a path prefix
 * (`https://host/crs/cds-services`) is kept.
 * @param config - `app` and `auth` sections
 */
export function timelineLaunchUrl(config: Pick<Config, 'app' | 'auth'>): string | undefined {
  if (config.app.launchUrl !== undefined) return config.app.launchUrl;
  const audience = config.auth.audience;
  if (audience === undefined || !URL.canParse(audience)) return undefined;
  const root = new URL(audience);
  root.pathname = root.pathname.replace(/\/+$/, '').replace(/\/cds-services$/, '') + '/';
  root.search = '';
  root.hash = '';
  return new URL(LAUNCH_PATH, root).toString();
}
