import { describe, expect, test } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/defaults.js';
import { isAllowedServer } from '../../src/fhir/allowed-servers.js';
import { CONFIG_SCHEMA } from '../../src/config/schema.js';
import type { SchemaNode } from '../../src/config/schema-builders.js';
import { objectAt, problemsOf } from './helpers.js';

function isNode(value: unknown): value is SchemaNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every leaf key of the schema outside codeLists, with its path. */
function leaves(node: SchemaNode, path = ''): [string, SchemaNode][] {
  const props = isNode(node['properties']) ? node['properties'] : {};
  return Object.entries(props).flatMap(([key, child]) => {
    const childPath = path === '' ? key : `${path}.${key}`;
    if (!isNode(child) || childPath === 'codeLists') {
      return [];
    }
    return child['type'] === 'object' && isNode(child['properties']) && childPath !== 'auth.trustedIssuers'
      ? leaves(child, childPath)
      : [[childPath, child] as [string, SchemaNode]];
  });
}

const SAMPLE_STRINGS: Record<string, string> = {
  'auth.audience': 'https://cds.example.org/cds-services',
  'cards.directory': 'site-cards',
};

type Row = [path: string, value: unknown];

/** Valid, boundary and invalid values derived from each leaf's own schema. */
function generatedRows(): { valid: Row[]; invalid: Row[] } {
  const valid: Row[] = [];
  const invalid: Row[] = [];
  for (const [path, node] of leaves(CONFIG_SCHEMA)) {
    const type = node['type'];
    if (type === 'number' || type === 'integer') {
      const step = type === 'integer' ? 1 : 0.01;
      const { minimum: min, maximum: max, exclusiveMinimum: above } = node as Record<string, number | undefined>;
      if (typeof node['default'] === 'number') valid.push([path, node['default']]);
      if (min !== undefined) valid.push([path, min], [path, min - step]);
      if (max !== undefined) valid.push([path, max]), invalid.push([path, max + step]);
      if (above !== undefined) valid.push([path, above + step]), invalid.push([path, above], [path, -1]);
      invalid.push([path, 'twelve']);
      if (type === 'integer') invalid.push([path, (min ?? 1) + 0.5]);
      if (min !== undefined) invalid.push([path, min - step]);
    } else if (type === 'boolean') {
      valid.push([path, true], [path, false]);
      invalid.push([path, 'yes'], [path, 1]);
    } else if (type === 'string') {
      const sample = SAMPLE_STRINGS[path] ?? node['default'];
      valid.push([path, sample]);
      invalid.push([path, ''], [path, 42]);
      if (Array.isArray(node['enum'])) invalid.push([path, 'PO']);
      if (typeof node['pattern'] === 'string') invalid.push([path, 'abc']);
    } else if (type === 'array') {
      valid.push([path, node['default']]);
      invalid.push([path, 'not a list']);
    }
  }
  // a valid row must not also be generated as invalid (min - step is only invalid, never valid)
  return { valid: valid.filter(([p, v]) => !invalid.some(([ip, iv]) => ip === p && iv === v)), invalid };
}

const { valid, invalid } = generatedRows();

describe('the configuration schema, key by key', () => {
  test('covers every section and a realistic number of keys', () => {
    const paths = leaves(CONFIG_SCHEMA).map(([path]) => path);
    for (const prefix of ['grading.', 'treatment.', 'fhir.', 'auth.', 'http.', 'services.', 'cards.', 'storage.']) {
      expect(paths.some((p) => p.startsWith(prefix))).toBe(true);
    }
    expect(paths.length).toBeGreaterThan(50);
  });

  test.each(valid)('accepts %s = %j', (path, value) => {
    expect(problemsOf(objectAt(path, value)).filter((p) => p.path === path)).toEqual([]);
  });

  test.each(invalid)('rejects %s = %j with a problem at that key', (path, value) => {
    const problems = problemsOf(objectAt(path, value));
    expect(problems.filter((p) => p.path === path)).toHaveLength(1);
  });

  test.each(leaves(CONFIG_SCHEMA))('documents %s with a description, and numbers with unit, range and default', (_path, node) => {
    expect(typeof node['description']).toBe('string');
    const description = String(node['description']);
    if (node['type'] === 'number' || node['type'] === 'integer') {
      expect(typeof node['x-unit']).toBe('string');
      expect(description).toContain(String(node['x-unit']));
      expect(description).toMatch(/between|greater than|at least|at most/);
    }
    expect(description).toMatch(/default|no default/);
    if (typeof node['x-rule'] === 'string') {
      expect(description.startsWith(node['x-rule'])).toBe(true);
    }
  });

  test('has a key for every value of DEFAULT_CONFIG outside the code lists', () => {
    const schemaPaths = new Set(leaves(CONFIG_SCHEMA).map(([path]) => path));
    const defaultPaths = (value: unknown, path: string): string[] =>
      typeof value === 'object' && value !== null && !Array.isArray(value)
        ? Object.entries(value).flatMap(([key, child]) => defaultPaths(child, path === '' ? key : `${path}.${key}`))
        : [path];
    const { codeLists: _lists, ...rest } = DEFAULT_CONFIG;
    const missing = defaultPaths(rest, '').filter((path) => !schemaPaths.has(path));
    expect(missing).toEqual([]);
  });

  test('names the rule id F1, the unit and the default 38.0 in the fever threshold description', () => {
    const grading = (CONFIG_SCHEMA['properties'] as Record<string, SchemaNode>)['grading'] as SchemaNode;
    const fever = (grading['properties'] as Record<string, SchemaNode>)['feverCelsius'] as SchemaNode;
    expect(fever['description']).toBe('F1 fever: any temperature at or above this in the window, °C, between 37 and 40, default 38.0.');
  });
});

describe('messages of the contract keys', () => {
  test.each<[string, unknown, string]>([
    ['grading.feverCelsius', 41, 'must be a number between 37 and 40'],
    ['grading.feverCelsius', 36.9, 'must be a number between 37 and 40'],
    ['grading.feverCelsius', '38', 'must be a number between 37 and 40'],
    ['grading.sbpBelow', 900, 'must be a number between 50 and 150'],
    ['grading.mapBelow', 20, 'must be a number between 30 and 120'],
    ['grading.lowFlowMaxLpm', 0, 'must be a number greater than 0 and at most 15'],
    ['grading.lookbackHours', 0, 'must be a number greater than 0 and at most 168'],
    ['grading.lookbackHours', -24, 'must be a number greater than 0 and at most 168'],
    ['grading.monitoringWindowDays', 0, 'must be a number greater than 0 and at most 365'],
    ['grading.spo2Below', 101, 'must be a number between 0 and 100'],
    ['grading.showGradeZero', 'true', 'must be true or false'],
    ['fhir.timeoutMs', 99, 'must be a whole number between 100 and 30000'],
    ['fhir.timeoutMs', 30001, 'must be a whole number between 100 and 30000'],
    ['fhir.timeoutMs', 1500.5, 'must be a whole number between 100 and 30000'],
    ['treatment.tocilizumab.doseTolerancePercent', 101, 'must be a number between 0 and 100'],
    ['treatment.tocilizumab.maxDosesPer24h', 0, 'must be a whole number between 1 and 10'],
    ['treatment.tocilizumab.rxnorm', 'RX612865', 'must be an RxCUI (digits only)'],
    ['treatment.steroids.grade3.route', 'PO', 'must be one of: IV'],
    ['cards.directory', '', 'must not be empty'],
    ['grading.displayScales', 'CTCAE-5', 'must be a list'],
  ])('%s = %j: %s', (path, value, message) => {
    expect(problemsOf(objectAt(path, value))).toEqual([{ path, message }]);
  });

  test.each<[string, unknown]>([
    ['grading.feverCelsius', 37],
    ['grading.feverCelsius', 40],
    ['fhir.timeoutMs', 100],
    ['fhir.timeoutMs', 30000],
    ['grading.spo2Below', 0],
    ['grading.spo2Below', 100],
    ['grading.displayScales', ['CTCAE-5', 'Lee-2014']],
    ['services.enabled', { 'crs-order-select': false }],
  ])('accepts the boundary %s = %j', (path, value) => {
    expect(problemsOf(objectAt(path, value))).toEqual([]);
  });

  test('rejects an unknown scale and a repeated scale', () => {
    expect(problemsOf({ grading: { displayScales: ['CTCAE-5', 'ASTCT'] } })).toEqual([
      { path: 'grading.displayScales[1]', message: 'must be one of: CTCAE-5, Lee-2014, CARTOX, Penn, MSKCC' },
    ]);
    expect(problemsOf({ grading: { displayScales: ['Penn', 'Penn'] } })).toEqual([
      { path: 'grading.displayScales', message: 'must not list the same entry twice' },
    ]);
  });

  test('rejects plausibility bounds whose min is not below max, after merging with the defaults', () => {
    expect(problemsOf({ grading: { plausible: { temperatureCelsius: { min: 46 } } } })).toEqual([
      { path: 'grading.plausible.temperatureCelsius', message: 'min (46) must be below max (45)' },
    ]);
    expect(problemsOf({ grading: { plausible: { weightKg: { min: 2, max: 2 } } } })).toHaveLength(1);
    expect(problemsOf({ grading: { plausible: { weightKg: { min: 2, max: 3 } } } })).toEqual([]);
  });

  test('rejects a service id that does not exist, with a hint', () => {
    expect(problemsOf({ services: { enabled: { 'crs-patient-veiw': false } } })).toEqual([
      { path: 'services.enabled.crs-patient-veiw', message: 'unknown key; did you mean "crs-patient-view"?' },
    ]);
  });
});

describe('fhir.allowedServers entries are URL patterns', () => {
  test.each([
    'https://fhir.example.org/r4',
    'https://fhir.example.org',
    'http://localhost:*',
    'http://127.0.0.1:8080/fhir/',
    'http://[::1]:*',
    'https://10.0.0.5:8443/baseR4',
  ])('accepts %s, and the outbound guard then allows that server', (entry) => {
    expect(problemsOf({ fhir: { allowedServers: [entry] } })).toEqual([]);
    // an entry the configuration accepts must never silently allow nothing
    expect(isAllowedServer(entry.replace(':*', ':8080'), [entry])).toBe(true);
  });

  test.each(['fhir.example.org', 'ftp://fhir.example.org', 'https://fhir.example.org/r4?x=1', '*', 'https://host:99999', 'https://host:*x', 'https:///r4', 'https://host/#x'])(
    'rejects %s',
    (entry) => {
      const problems = problemsOf({ fhir: { allowedServers: ['https://ok.example.org', entry] } });
      expect(problems).toHaveLength(1);
      expect(problems[0]?.path).toBe('fhir.allowedServers[1]');
      expect(problems[0]?.message).toMatch(/^must be a URL pattern/);
    },
  );

  test('accepts an empty list (no outbound FHIR calls at all)', () => {
    expect(problemsOf({ fhir: { allowedServers: [] } })).toEqual([]);
  });
});

describe('auth', () => {
  const iss = 'https://ehr.example.org';
  test.each<[string, unknown]>([
    ['a JWKS URL', { iss, jwksUrl: 'https://ehr.example.org/jwks.json' }],
    ['an inline JWK Set', { iss, jwks: { keys: [{ kty: 'EC', crv: 'P-384', x: 'x', y: 'y' }] } }],
    ['a loopback http JWKS URL (tests)', { iss: 'http://localhost:9999', jwksUrl: 'http://localhost:9999/jwks' }],
    ['an http JWKS URL anywhere in 127.0.0.0/8', { iss: 'http://127.0.0.2:9999', jwksUrl: 'http://127.0.0.2:9999/jwks' }],
  ])('accepts an issuer with %s', (_label, issuer) => {
    expect(problemsOf({ auth: { audience: 'https://cds.example.org/cds-services', trustedIssuers: [issuer] } })).toEqual([]);
  });

  test.each<[string, unknown, { path: string; message: string }[]]>([
    ['both jwksUrl and jwks', { iss, jwksUrl: 'https://e.org/j', jwks: { keys: [{}] } }, [{ path: 'auth.trustedIssuers[0]', message: 'needs exactly one of jwksUrl or jwks' }]],
    ['neither jwksUrl nor jwks', { iss }, [{ path: 'auth.trustedIssuers[0]', message: 'needs exactly one of jwksUrl or jwks' }]],
    ['no iss', { jwksUrl: 'https://e.org/j' }, [{ path: 'auth.trustedIssuers[0].iss', message: 'is required' }]],
    ['a plain-http JWKS URL off loopback', { iss, jwksUrl: 'http://ehr.example.org/jwks' }, [{ path: 'auth.trustedIssuers[0].jwksUrl', message: 'must be an https URL (http only on loopback: localhost, 127.0.0.0/8, [::1])' }]],
    ['an iss that is not a URL', { iss: 'ehr', jwksUrl: 'https://e.org/j' }, [{ path: 'auth.trustedIssuers[0].iss', message: 'must be an absolute http(s) URL' }]],
    ['an empty JWK Set', { iss, jwks: { keys: [] } }, [{ path: 'auth.trustedIssuers[0].jwks.keys', message: 'must list at least 1 entry' }]],
    ['an unknown key', { iss, jwksUri: 'https://e.org/j' }, [
      { path: 'auth.trustedIssuers[0].jwksUri', message: 'unknown key; did you mean "jwksUrl"?' },
      { path: 'auth.trustedIssuers[0]', message: 'needs exactly one of jwksUrl or jwks' },
    ]],
  ])('rejects an issuer with %s', (_label, issuer, expected) => {
    expect(problemsOf({ auth: { audience: 'https://cds.example.org', trustedIssuers: [issuer] } })).toEqual(expected);
  });

  test('requires auth.audience once issuers are trusted (tokens are checked against aud)', () => {
    expect(problemsOf({ auth: { trustedIssuers: [{ iss, jwksUrl: `${iss}/jwks` }] } })).toEqual([
      { path: 'auth.audience', message: 'is required when auth.trustedIssuers is set (the public base URL tokens are issued for)' },
    ]);
    expect(problemsOf({ auth: { audience: 'https://cds.example.org' } })).toEqual([]);
  });

  test('accepts algorithms, tenants and a jku allowlist, and refuses a plain-http jku or an HMAC algorithm', () => {
    const audience = 'https://cds.example.org';
    expect(problemsOf({ auth: { audience, algorithms: ['ES256'], trustedIssuers: [{ iss, jwksUrl: `${iss}/jwks`, tenants: ['t1'], jkuAllowlist: [`${iss}/jwks2`] }] } })).toEqual([]);
    expect(problemsOf({ auth: { audience, trustedIssuers: [{ iss, jwksUrl: `${iss}/jwks`, jkuAllowlist: ['http://evil.example.org/jwks'] }] } })).toEqual([
      { path: 'auth.trustedIssuers[0].jkuAllowlist[0]', message: 'must be an https URL (http only on loopback: localhost, 127.0.0.0/8, [::1])' },
    ]);
    expect(problemsOf({ auth: { algorithms: ['HS256'] } })).toEqual([
      { path: 'auth.algorithms[0]', message: 'must be one of: ES384, RS384, ES256, RS256' },
    ]);
    expect(problemsOf({ auth: { algorithms: [] } })).toEqual([{ path: 'auth.algorithms', message: 'must list at least 1 entry' }]);
  });

  test('rejects an audience that is not an absolute URL', () => {
    expect(problemsOf({ auth: { audience: 'cds.example.org' } })).toEqual([
      { path: 'auth.audience', message: 'must be an absolute http(s) URL, the public base URL of this service' },
    ]);
  });
});

describe('http.corsOrigins', () => {
  test('accepts "*" and origins, rejects an origin with a path', () => {
    expect(problemsOf({ http: { corsOrigins: ['*', 'https://ehr.example.org', 'http://localhost:5173'] } })).toEqual([]);
    expect(problemsOf({ http: { corsOrigins: ['https://ehr.example.org/app'] } })).toEqual([
      { path: 'http.corsOrigins[0]', message: 'must be "*" or an origin like "https://ehr.example.org" (no path)' },
    ]);
  });
});
