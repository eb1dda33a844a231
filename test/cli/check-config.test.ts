import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, test, vi } from 'vitest';
import { parse } from 'yaml';
import { runCli } from '../../src/cli/main.js';
import { loadCardTemplates, TemplateError } from '../../src/recommend/templates.js';
import { captureIo } from './helpers.js';

// The card loader is the cards module's; here only its verdict matters (its own tests cover templates).
vi.mock('../../src/recommend/templates.js', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../src/recommend/templates.js')>()),
  loadCardTemplates: vi.fn(),
}));
const loader = vi.mocked(loadCardTemplates);
beforeEach(() => {
  loader.mockReset();
});

const dir = mkdtempSync(join(tmpdir(), 'crs-cds-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const EXAMPLE = new URL('../../examples/site-config.yaml', import.meta.url).pathname;

describe('crs-cds check-config', () => {
  test('prints "configuration OK" and the effective YAML configuration, exit 0', async () => {
    const io = captureIo();
    const file = write('ok.yaml', 'grading:\n  sbpBelow: 95\ncodeLists:\n  vasopressors:\n    norepinephrine:\n      addCodes: ["rxnorm|1234"]\n');
    expect(await runCli(['check-config', file], io)).toBe(0);
    const [first, ...rest] = io.out().split('\n');
    expect(first).toBe(`configuration OK: ${file}`);
    const effective = parse(rest.join('\n')) as Record<string, Record<string, unknown>>;
    expect(effective['grading']?.['sbpBelow']).toBe(95);
    expect(effective['grading']?.['mapBelow']).toBe(65); // a default, merged in
    expect(effective['codeLists']?.['vasopressors']).toMatchObject({
      norepinephrine: { codes: ['http://www.nlm.nih.gov/research/umls/rxnorm|7512', 'http://www.nlm.nih.gov/research/umls/rxnorm|1234'] },
    });
  });

  test('shows every grading and treatment key of revision 2 in the effective configuration, a site value included', async () => {
    const io = captureIo();
    const file = write('rev2.yaml', 'grading:\n  maskingMaxHours: 120\ntreatment:\n  earlySteroidProducts: ["axicabtagene-ciloleucel"]\n');
    expect(await runCli(['check-config', file], io)).toBe(0);
    const effective = parse(io.out().split('\n').slice(1).join('\n')) as Record<string, Record<string, unknown>>;
    expect(effective['grading']).toMatchObject({
      rateRecordActiveHours: 6,
      fio2LowFlowAbovePercent: 21,
      fio2HighFlowFromPercent: 45,
      resolutionHours: 24,
      maskingMaxHours: 120,
      pediatricHypotension: true,
      pediatricSbpBelow: { underOneMonth: 60, underOneYear: 70, base: 70, perYear: 2, untilYears: 10 },
      plausible: { spo2Percent: { min: 50, max: 100 }, fio2Percent: { min: 21, max: 100 } },
    });
    expect(effective['treatment']).toMatchObject({
      conditionOnlySuggestions: false,
      earlySteroidProducts: ['axicabtagene-ciloleucel'],
      steroidEquivalentMg: { dexamethasone: 0.75, methylprednisolone: 4, prednisone: 5, hydrocortisone: 20 },
      steroids: { grade2Early: { concept: 'dexamethasone', doseMg: 10, doses: 1 } },
    });
    expect(effective['codeLists']).toHaveProperty('nonSystemicRoutes');
    expect(effective['codeLists']).toHaveProperty('nonSystemicForms');
  });

  test('refuses an unknown T-P product and an inverted FiO2 tier with their paths', async () => {
    const io = captureIo();
    const file = write('bad-rev2.yaml', 'grading:\n  fio2LowFlowAbovePercent: 40\n  fio2HighFlowFromPercent: 30\ntreatment:\n  earlySteroidProducts: ["axi-cel"]\n');
    expect(await runCli(['check-config', file], io)).toBe(1);
    expect(io.err()).toContain('grading.fio2HighFlowFromPercent: must be above fio2LowFlowAbovePercent (40)');
    expect(io.err()).toContain('treatment.earlySteroidProducts[0]: "axi-cel" is not a concept of codeLists.crsTherapies');
  });

  test('prints risky settings as warnings on stderr and still exits 0', async () => {
    const io = captureIo();
    expect(await runCli(['check-config', write('warn.yaml', 'grading: {}\n')], io)).toBe(0);
    expect(io.err()).toBe(
      'warning: auth.trustedIssuers: empty, so authentication is OFF and any caller can send hook requests; configure trusted EHR issuers before connecting real patient data (docs/security.md)\n' +
        'warning: app.launchUrl: not set and no auth.audience, so the "Open CRS timeline" link on patient-view cards is derived from the protocol and Host each EHR calls (behind a proxy: an internal host or plain http); set app.launchUrl to the public https URL of /app/launch\n',
    );
  });

  test('prints JSON for a JSON file, or with --format json', async () => {
    const io = captureIo();
    expect(await runCli(['check-config', write('ok.json', '{"fhir": {"timeoutMs": 3000}}')], io)).toBe(0);
    const json = JSON.parse(io.out().split('\n').slice(1).join('\n')) as { fhir: { timeoutMs: number } };
    expect(json.fhir.timeoutMs).toBe(3000);
    const io2 = captureIo();
    expect(await runCli(['check-config', write('ok2.yaml', '{}'), '--format', 'json'], io2)).toBe(0);
    expect(() => JSON.parse(io2.out().split('\n').slice(1).join('\n')) as unknown).not.toThrow();
  });

  test('prints every problem with its path, exit 1', async () => {
    const io = captureIo();
    const file = write('bad.yaml', 'grading:\n  feverCelsius: 41\n  lookbakHours: 24\nfhir:\n  timeoutMs: 5\n');
    expect(await runCli(['check-config', file], io)).toBe(1);
    expect(io.out()).toBe('');
    expect(io.err()).toBe(
      `${file}: 3 problems\n` +
        '  grading.lookbakHours: unknown key; did you mean "lookbackHours"?\n' +
        '  grading.feverCelsius: must be a number between 37 and 40\n' +
        '  fhir.timeoutMs: must be a whole number between 100 and 30000\n',
    );
  });

  test('reports a YAML syntax error with exit 1', async () => {
    const io = captureIo();
    expect(await runCli(['check-config', write('syntax.yaml', 'grading: [\n')], io)).toBe(1);
    expect(io.err()).toMatch(/is not valid YAML/);
  });

  test('exits 2 for a missing file', async () => {
    const io = captureIo();
    const file = join(dir, 'absent.yaml');
    expect(await runCli(['check-config', file], io)).toBe(2);
    expect(io.err()).toBe(`${file}: 1 problem\n  ${file}: file not found\n`);
  });

  test('exits 2 without a file argument or with an unknown option', async () => {
    const io = captureIo();
    expect(await runCli(['check-config'], io)).toBe(2);
    expect(io.err()).toContain('needs a configuration file');
    const io2 = captureIo();
    expect(await runCli(['check-config', 'a.yaml', '--strict'], io2)).toBe(2);
    expect(io2.err()).toContain('unknown option --strict');
  });

  test('accepts the shipped example site configuration and checks its card directory', async () => {
    const io = captureIo();
    expect(await runCli(['check-config', EXAMPLE], io)).toBe(0);
    const effective = parse(io.out().split('\n').slice(1).join('\n')) as { grading: { sbpBelow: number }; cards: { directory: string } };
    expect(effective.grading.sbpBelow).toBe(95);
    expect(effective.cards.directory).toMatch(/examples\/site-cards$/);
    expect(loader).toHaveBeenCalledWith({ overrideDir: effective.cards.directory });
  });

  test('lists every card template problem of the override directory, exit 1', async () => {
    loader.mockImplementation(() => {
      throw new TemplateError(['site-cards/crs-grade-2.json: summary: required non-empty string', 'site-cards/crs-grade-3.json: id: unknown template id "x"']);
    });
    const io = captureIo();
    expect(await runCli(['check-config', EXAMPLE], io)).toBe(1);
    expect(io.err().split('\n').slice(1)).toEqual([
      '  card templates: site-cards/crs-grade-2.json: summary: required non-empty string',
      '  card templates: site-cards/crs-grade-3.json: id: unknown template id "x"',
      '',
    ]);
  });

  test('does not load card templates when the file names no card directory', async () => {
    const io = captureIo();
    expect(await runCli(['check-config', write('nocards.yaml', 'grading: {}\n')], io)).toBe(0);
    expect(loader).not.toHaveBeenCalled();
  });
});

describe('crs-cds', () => {
  test('--help prints the commands, exit 0', async () => {
    const io = captureIo();
    expect(await runCli(['--help'], io)).toBe(0);
    expect(io.out()).toContain('crs-cds check-config <file>');
    expect(io.out()).toContain('crs-cds grade <bundle.json>');
  });

  test('an unknown command exits 2 with a one-line reason', async () => {
    const io = captureIo();
    expect(await runCli(['chek-config'], io)).toBe(2);
    expect(io.err()).toBe('crs-cds: unknown command "chek-config" (expected check-config, grade, report, cohort or replay); see crs-cds --help\n');
  });

  test('no command exits 2', async () => {
    const io = captureIo();
    expect(await runCli([], io)).toBe(2);
    expect(io.err().split('\n')).toHaveLength(2);
  });
});
