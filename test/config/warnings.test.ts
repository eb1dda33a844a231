import { describe, expect, test } from 'vitest';
import { parseConfig } from '../../src/config/load-config.js';
import { configWarnings } from '../../src/config/warnings.js';

describe('configWarnings', () => {
  test('warns that authentication is off without trusted issuers, and that the timeline link follows the Host called (the defaults)', () => {
    expect(configWarnings(parseConfig({}))).toEqual([
      'auth.trustedIssuers: empty, so authentication is OFF and any caller can send hook requests; configure trusted EHR issuers before connecting real patient data (docs/security.md)',
      'app.launchUrl: not set and no auth.audience, so the "Open CRS timeline" link on patient-view cards is derived from the protocol and Host each EHR calls (behind a proxy: an internal host or plain http); set app.launchUrl to the public https URL of /app/launch',
    ]);
  });

  test('warns about plain http to a non-loopback FHIR server, not about loopback or https', () => {
    const config = parseConfig({
      fhir: { allowedServers: ['http://localhost:*', 'https://fhir.example.org', 'http://fhir.example.org/r4', 'http://[::1]:8080'] },
      auth: { audience: 'https://cds.example.org', trustedIssuers: [{ iss: 'https://ehr.example.org', jwksUrl: 'https://ehr.example.org/jwks' }] },
    });
    expect(configWarnings(config)).toEqual(['fhir.allowedServers[2]: plain http to a non-loopback host; patient data would travel unencrypted']);
  });
});

describe('loopback, for the plain-http warning', () => {
  const warned = (entry: string): boolean =>
    configWarnings(parseConfig({ fhir: { allowedServers: [entry] } })).some((w) => w.startsWith('fhir.allowedServers[0]'));

  test.each([
    'http://127.0.0.1:*', 'http://127.0.0.2:8080', 'http://127.255.255.254', 'http://[::1]:*',
    'http://[0:0:0:0:0:0:0:1]:8080', 'http://[::ffff:127.0.0.9]:*', 'http://localhost:*', 'http://LOCALHOST/fhir',
  ])('%s is loopback: no warning', (entry) => {
    expect(warned(entry)).toBe(false);
  });

  test.each(['http://128.0.0.1:*', 'http://10.0.0.1', 'http://[::2]:*', 'http://127.example.org', 'http://localhost.example.org'])(
    '%s is not loopback: warned',
    (entry) => {
      expect(warned(entry)).toBe(true);
    },
  );
});
