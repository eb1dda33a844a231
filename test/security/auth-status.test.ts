import { describe, expect, test } from 'vitest';
import { authStatus } from '../../src/auth/auth-status.js';
import { expectedAudience } from '../../src/auth/authenticate.js';

describe('authStatus', () => {
  test('reports authentication off when no issuer is trusted', () => {
    expect(authStatus({ trustedIssuers: [] })).toEqual({ enabled: false, trustedIssuers: 0 });
  });

  test('reports authentication on with the number of trusted issuers', () => {
    const auth = { audience: 'https://cds.example.org/cds-services', trustedIssuers: [{ iss: 'https://ehr.example.org' }] };
    expect(authStatus(auth)).toEqual({ enabled: true, trustedIssuers: 1 });
  });
});

describe('expectedAudience', () => {
  test.each([
    ['https://cds.example.org/cds-services', '/cds-services/crs-patient-view', 'https://cds.example.org/cds-services/crs-patient-view'],
    ['https://cds.example.org/cds-services/', '/cds-services/crs-patient-view?x=1', 'https://cds.example.org/cds-services/crs-patient-view'],
    ['https://cds.example.org', '/cds-services/crs-patient-view/feedback', 'https://cds.example.org/cds-services/crs-patient-view/feedback'],
    ['https://gw.example.org/crs/cds-services', '/cds-services', 'https://gw.example.org/crs/cds-services'],
  ])('audience %s and path %s give %s', (audience, path, expected) => {
    expect(expectedAudience(audience, path)).toBe(expected);
  });
});
