import { describe, expect, test } from 'vitest';
import { isAllowedServer } from '../../src/fhir/allowed-servers.js';

const DEFAULTS = ['http://127.0.0.1:*', 'http://localhost:*', 'http://[::1]:*'];

describe('isAllowedServer', () => {
  test.each([
    ['http://127.0.0.1:8080/fhir', DEFAULTS, true],
    ['http://127.0.0.1/fhir', DEFAULTS, true], // `*` includes the default port
    ['http://[::1]:9000/', DEFAULTS, true],
    ['http://LOCALHOST:1/r4', DEFAULTS, true],
    ['https://127.0.0.1:8080/fhir', DEFAULTS, false], // scheme differs
    ['http://127.0.0.2:8080/fhir', DEFAULTS, false],
    ['http://169.254.169.254/latest', DEFAULTS, false],
    ['https://ehr.example.org/fhir/r4', ['https://ehr.example.org/fhir'], true],
    ['https://ehr.example.org:443/fhir', ['https://ehr.example.org/fhir'], true],
    ['https://ehr.example.org:8443/fhir', ['https://ehr.example.org/fhir'], false], // no port = default only
    ['https://ehr.example.org/fhirx', ['https://ehr.example.org/fhir'], false], // segment-wise prefix
    ['https://ehr.example.org/', ['https://ehr.example.org/fhir'], false],
    ['https://ehr.example.org.evil.com/fhir', ['https://ehr.example.org/fhir'], false],
    ['http://ehr.example.org/fhir', ['https://ehr.example.org/fhir'], false],
    ['https://ehr.example.org:8443/fhir', ['https://ehr.example.org:8443/'], true],
    ['not a url', DEFAULTS, false],
    ['http://127.0.0.1:8080/fhir', ['garbage entry'], false],
  ])('%s against %j is %s', (url, allowed, expected) => {
    expect(isAllowedServer(url, allowed)).toBe(expected);
  });

  test('accepts a URL object as well as a string', () => {
    expect(isAllowedServer(new URL('http://localhost:3000/fhir'), DEFAULTS)).toBe(true);
  });
});
