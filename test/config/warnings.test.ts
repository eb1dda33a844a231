import { describe, expect, test } from 'vitest';
import { parseConfig } from '../../src/config/load-config.js';
import { configWarnings } from '../../src/config/warnings.js';

describe('configWarnings', () => {
  test('warns that authentication is off without trusted issuers, and that cards cannot link the timeline (the defaults)', () => {
    expect(configWarnings(parseConfig({}))).toEqual([
      'auth.trustedIssuers: empty, so authentication is OFF and any caller can send hook requests; configure trusted EHR issuers before connecting real patient data (docs/security.md)',
      'app.launchUrl: not set and no auth.audience to derive it from, so patient-view cards carry no "Open CRS timeline" link; set app.launchUrl to the public https URL of /app/launch',
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
