/**
 * Valid but risky settings, shown by check-config (and worth logging at start-up): they are allowed
 * for tests and local demos, but a site should not deploy them by accident.
 */
import { databaseUrlHasPassword } from '../storage/database-url.js';
import { timelineLaunchUrl } from './app-launch-url.js';
import { hostOf, isLoopbackHost } from './loopback.js';
import type { Config } from './types.js';

/** One line per risky setting, `path: why`; empty when there is none. */
export function configWarnings(config: Config): string[] {
  const warnings: string[] = [];
  if (config.auth.trustedIssuers.length === 0) {
    warnings.push(
      'auth.trustedIssuers: empty, so authentication is OFF and any caller can send hook requests; ' +
        'configure trusted EHR issuers before connecting real patient data (docs/security.md)',
    );
  }
  config.fhir.allowedServers.forEach((entry, i) => {
    const host = entry.toLowerCase().startsWith('http:') ? hostOf(entry) : undefined;
    if (host !== undefined && !isLoopbackHost(host)) {
      warnings.push(`fhir.allowedServers[${i}]: plain http to a non-loopback host; patient data would travel unencrypted`);
    }
  });
  const { url, kind } = config.storage;
  if (url !== undefined && databaseUrlHasPassword(url)) {
    warnings.push('storage.url: carries a password; keep it in DATABASE_URL (or PGPASSWORD) from a secret, not in the configuration file');
  }
  if (url !== undefined && kind !== 'postgres') {
    warnings.push('storage.url: ignored while storage.kind is "sqlite"');
  }
  if (config.app.cardLink && timelineLaunchUrl(config) === undefined) {
    warnings.push(
      'app.launchUrl: not set and no auth.audience, so the "Open CRS timeline" link on patient-view cards is ' +
        'derived from the protocol and Host each EHR calls (behind a proxy: an internal host or plain http); ' +
        'set app.launchUrl to the public https URL of /app/launch',
    );
  }
  return warnings;
}
