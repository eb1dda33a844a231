import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { ConfigError } from '../../src/config/config-error.js';
import { DEFAULT_CONFIG } from '../../src/config/defaults.js';
import { loadConfigFile, loadConfigFromEnv, parseConfig } from '../../src/config/load-config.js';
import { rmSync } from 'node:fs';
import { problemsOf } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'crs-cds-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function caught(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) {
      return error;
    }
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('parseConfig', () => {
  test('returns the defaults for an empty file', () => {
    expect(parseConfig(undefined)).toEqual(DEFAULT_CONFIG);
    expect(parseConfig(null)).toEqual(DEFAULT_CONFIG);
    expect(parseConfig({})).toEqual(DEFAULT_CONFIG);
  });

  test('merges sections key by key and keeps every other default', () => {
    const config = parseConfig({ grading: { sbpBelow: 95, plausible: { weightKg: { max: 400 } } }, treatment: { steroids: { grade3: { doseMg: 20 } } } });
    expect(config.grading.sbpBelow).toBe(95);
    expect(config.grading.mapBelow).toBe(65);
    expect(config.grading.plausible.weightKg).toEqual({ min: 0.5, max: 400 });
    expect(config.treatment.steroids.grade3).toEqual({ ...DEFAULT_CONFIG.treatment.steroids.grade3, doseMg: 20 });
  });

  test('replaces arrays that are not code lists', () => {
    const config = parseConfig({ fhir: { allowedServers: ['https://fhir.example.org/r4'] }, http: { corsOrigins: [] } });
    expect(config.fhir.allowedServers).toEqual(['https://fhir.example.org/r4']);
    expect(config.http.corsOrigins).toEqual([]);
  });

  test('merges services.enabled per service id', () => {
    const config = parseConfig({ services: { enabled: { 'crs-order-select': false } } });
    expect(config.services.enabled).toEqual({ 'crs-patient-view': true, 'crs-order-select': false, 'crs-order-sign': true });
  });

  test('deep-freezes the result without freezing the defaults', () => {
    const config = parseConfig({});
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.grading.plausible.weightKg)).toBe(true);
    expect(Object.isFrozen(config.codeLists.vasopressors['norepinephrine']?.codes)).toBe(true);
    expect(Object.isFrozen(DEFAULT_CONFIG.grading)).toBe(false);
    expect(Object.isFrozen(DEFAULT_CONFIG.codeLists.vasopressors)).toBe(false);
  });

  test('lists every problem of a file, not just the first', () => {
    const problems = problemsOf({
      grading: { feverCelsius: 41, lookbackHours: 0, feverCelcius: 38 },
      fhir: { timeoutMs: 5, allowedServers: ['not a url'] },
      codeLists: { vasopressors: { phenylefrine: { remove: true } } },
      auth: { audience: 'https://cds.example.org', trustedIssuers: [{ iss: 'https://ehr.example.org' }] },
      storage: { sqlitePath: '' },
    });
    expect(problems.map((p) => p.path).sort()).toEqual([
      'auth.trustedIssuers[0]',
      'codeLists.vasopressors.phenylefrine',
      'fhir.allowedServers[0]',
      'fhir.timeoutMs',
      'grading.feverCelcius',
      'grading.feverCelsius',
      'grading.lookbackHours',
      'storage.sqlitePath',
    ]);
    expect(problems).toContainEqual({ path: 'grading.feverCelsius', message: 'must be a number between 37 and 40' });
  });

  test.each(['__proto__', 'constructor', 'prototype'])('refuses the concept id %s by name instead of reaching a prototype', (id) => {
    const raw = JSON.parse(`{"codeLists": {"vasopressors": {"${id}": {"addNames": ["x"]}}}}`) as unknown;
    expect(problemsOf(raw)).toEqual([{ path: `codeLists.vasopressors.${id}`, message: 'is a reserved name; choose another concept id' }]);
  });

  test('reports a __proto__ key as unknown and never merges it', () => {
    const raw = JSON.parse('{"grading": {"__proto__": {"sbpBelow": 10}}}') as unknown;
    expect(problemsOf(raw)).toEqual([{ path: 'grading.__proto__', message: 'unknown key; expected one of: feverCelsius, sbpBelow, mapBelow, lowFlowMaxLpm, spo2Below, lookbackHours, monitoringWindowDays, pointAdministrationActiveMinutes, countInotropes, weightMaxAgeDays, doseRoundingMg, showGradeZero, matchNames, displayScales, plausible, rateRecordActiveHours, fio2LowFlowAbovePercent, fio2HighFlowFromPercent, resolutionHours, maskingMaxHours, pediatricHypotension, pediatricSbpBelow' }]);
    expect(({} as Record<string, unknown>)['sbpBelow']).toBeUndefined();
  });

  test('refuses a file whose top level is not a mapping', () => {
    expect(problemsOf(['grading'])).toEqual([{ path: '(top level)', message: 'must be a section of "key: value" entries' }]);
  });

  test('resolves cards.directory against baseDir', () => {
    expect(parseConfig({ cards: { directory: 'site-cards' } }, { baseDir: '/etc/crs-cds' }).cards.directory).toBe('/etc/crs-cds/site-cards');
    expect(parseConfig({ cards: { directory: '/abs/cards' } }, { baseDir: '/etc/crs-cds' }).cards.directory).toBe('/abs/cards');
  });

  test('carries the problems in the error message, one per line', () => {
    const error = caught(() => parseConfig({ grading: { sbpBelow: 'low' } }));
    expect(error.reason).toBe('invalid');
    expect(error.message).toContain('grading.sbpBelow: must be a number between 50 and 150');
  });
});

describe('revision 2 semantic checks (T-S, T-P)', () => {
  test('a regimen whose corticosteroid has no dexamethasone equivalent is refused (T-S could not compare)', () => {
    const raw = {
      codeLists: { corticosteroids: { budesonide: { addCodes: ['rxnorm|19831'] } } },
      treatment: { steroids: { grade3: { concept: 'budesonide', rxnorm: '19831' } } },
    };
    expect(problemsOf(raw)).toEqual([{ path: 'treatment.steroids.grade3.concept', message: '"budesonide" needs treatment.steroidEquivalentMg.budesonide (T-S)' }]);
    expect(problemsOf({ ...raw, treatment: { ...raw.treatment, steroidEquivalentMg: { budesonide: 6 } } })).toEqual([]);
  });

  test('an equivalent for a corticosteroid that is not in the code list is refused', () => {
    expect(problemsOf({ treatment: { steroidEquivalentMg: { budesonide: 6 } } })).toEqual([
      { path: 'treatment.steroidEquivalentMg.budesonide', message: '"budesonide" is not a concept of codeLists.corticosteroids' },
    ]);
  });
});

describe('loadConfigFile', () => {
  test('returns the defaults without a file', () => {
    expect(loadConfigFile(undefined)).toEqual(DEFAULT_CONFIG);
  });

  test('reads YAML by extension (.yaml and .yml)', () => {
    const yaml = 'grading:\n  feverCelsius: 38.5\n';
    expect(loadConfigFile(write('a.yaml', yaml)).grading.feverCelsius).toBe(38.5);
    expect(loadConfigFile(write('a.yml', yaml)).grading.feverCelsius).toBe(38.5);
  });

  test('reads JSON by extension', () => {
    expect(loadConfigFile(write('a.json', '{"grading": {"mapBelow": 60}}')).grading.mapBelow).toBe(60);
  });

  test('treats an empty YAML file as the defaults', () => {
    expect(loadConfigFile(write('empty.yaml', '# nothing changed\n'))).toEqual(DEFAULT_CONFIG);
  });

  test('names the file when it does not exist (unreadable)', () => {
    const path = join(dir, 'missing.yaml');
    const error = caught(() => loadConfigFile(path));
    expect(error.reason).toBe('unreadable');
    expect(error.file).toBe(path);
    expect(error.problems).toEqual([{ path, message: 'file not found' }]);
  });

  test('names the file and line of a YAML syntax error', () => {
    const path = write('bad.yaml', 'grading:\n  feverCelsius: 38\n   sbpBelow: [90\n');
    const error = caught(() => loadConfigFile(path));
    expect(error.reason).toBe('syntax');
    expect(error.problems[0]?.path).toBe(path);
    expect(error.problems[0]?.message).toMatch(/^is not valid YAML: .*line \d+/);
  });

  test('refuses a YAML file with a duplicated key', () => {
    const error = caught(() => loadConfigFile(write('dup.yaml', 'grading:\n  sbpBelow: 90\n  sbpBelow: 95\n')));
    expect(error.reason).toBe('syntax');
  });

  test('names the file of a JSON syntax error', () => {
    const path = write('bad.json', '{"grading": ');
    const error = caught(() => loadConfigFile(path));
    expect(error.reason).toBe('syntax');
    expect(error.problems[0]?.message).toMatch(/^is not valid JSON/);
  });

  test('refuses an unknown extension', () => {
    const path = write('config.toml', 'x = 1');
    expect(caught(() => loadConfigFile(path)).problems).toEqual([{ path, message: 'has extension ".toml"; use .yaml, .yml or .json' }]);
  });

  test('names the file with invalid keys', () => {
    const path = write('invalid.yaml', 'grading:\n  feverCelsius: 380\n');
    const error = caught(() => loadConfigFile(path));
    expect(error.reason).toBe('invalid');
    expect(error.file).toBe(path);
    expect(error.message).toContain(path);
    expect(error.problems).toEqual([{ path: 'grading.feverCelsius', message: 'must be a number between 37 and 40' }]);
  });

  test('resolves cards.directory against the file directory and requires it to exist', () => {
    mkdirSync(join(dir, 'site-cards'), { recursive: true });
    expect(loadConfigFile(write('cards.yaml', 'cards:\n  directory: site-cards\n')).cards.directory).toBe(join(dir, 'site-cards'));
    const error = caught(() => loadConfigFile(write('nocards.yaml', 'cards:\n  directory: no-such-dir\n')));
    expect(error.problems).toEqual([{ path: 'cards.directory', message: `directory not found: ${join(dir, 'no-such-dir')}` }]);
  });
});

describe('loadConfigFromEnv', () => {
  test('reads the file named by CRS_CDS_CONFIG', () => {
    const path = write('env.yaml', 'grading:\n  showGradeZero: true\n');
    expect(loadConfigFromEnv({ CRS_CDS_CONFIG: path }).grading.showGradeZero).toBe(true);
  });

  test('uses the defaults when CRS_CDS_CONFIG is absent or empty', () => {
    expect(loadConfigFromEnv({})).toEqual(DEFAULT_CONFIG);
    expect(loadConfigFromEnv({ CRS_CDS_CONFIG: ' ' })).toEqual(DEFAULT_CONFIG);
  });
});
