/**
 * DEFAULT_CONFIG against the clinical rules (revision 2). The numbers are read out of crs-rules.md itself
 * when the shared rule document is present (`../shared/clinical/crs-rules.md` beside the project, or the
 * file named by CRS_RULES_MD); the same values are also pinned here so the test still guards the defaults
 * where the document is absent.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { formatCodeRef } from '../../src/config/code-refs.js';
import { DEFAULT_CONFIG, ICD10CM, LOINC, RXNORM, SNOMED } from '../../src/config/defaults.js';
import type { CodeRef, Concept } from '../../src/config/types.js';

const RULES_PATH = process.env['CRS_RULES_MD'] ?? fileURLToPath(new URL('../../../shared/clinical/crs-rules.md', import.meta.url));
const rules = existsSync(RULES_PATH) ? readFileSync(RULES_PATH, 'utf8') : undefined;

const g = DEFAULT_CONFIG.grading;
const t = DEFAULT_CONFIG.treatment;
const toci = t.tocilizumab;

/** [what, the value in DEFAULT_CONFIG, the pinned rule value, a pattern whose group 1 reads it from crs-rules.md] */
const NUMBERS: [string, number, number, RegExp][] = [
  ['F1 feverCelsius', g.feverCelsius, 38.0, /\*\*≥ ([\d.]+) °C\*\* \(`feverCelsius`\)/],
  ['H1 sbpBelow', g.sbpBelow, 90, /SBP \*\*< (\d+) mmHg\*\* \(`sbpBelow`\)/],
  ['H1 mapBelow', g.mapBelow, 65, /\*\*< (\d+) mmHg\*\* \(`mapBelow`\)/],
  ['O1 lowFlowMaxLpm', g.lowFlowMaxLpm, 6, /\*\*≤ (\d+) L\/min\*\* \(`lowFlowMaxLpm`\)/],
  ['O1 spo2Below', g.spo2Below, 90, /`spo2Below`, default \*\*(\d+)%\*\*/],
  ['§2 lookbackHours', g.lookbackHours, 24, /`lookbackHours`\s+\(default \*\*(\d+)\*\*\)/],
  ['S1 monitoringWindowDays', g.monitoringWindowDays, 28, /`monitoringWindowDays` \(default \*\*(\d+)\*\*\)/],
  ['E3 pointAdministrationActiveMinutes', g.pointAdministrationActiveMinutes, 60, /`pointAdministrationActiveMinutes` \(default \*\*(\d+)\*\*\)/],
  ['T-D weightMaxAgeDays', g.weightMaxAgeDays, 30, /`weightMaxAgeDays` \(default (\d+)\)/],
  ['T-D doseRoundingMg', g.doseRoundingMg, 1, /`doseRoundingMg` \(default \*\*(\d+) mg\*\*/],
  ['E6 temperature min', g.plausible.temperatureCelsius.min, 30, /temperature outside (\d+)–\d+ °C/],
  ['E6 temperature max', g.plausible.temperatureCelsius.max, 45, /temperature outside \d+–(\d+) °C/],
  ['E6 pressure min', g.plausible.pressureMmHg.min, 30, /SBP or MAP outside (\d+)–\d+ mmHg/],
  ['E6 pressure max', g.plausible.pressureMmHg.max, 300, /SBP or MAP outside \d+–(\d+) mmHg/],
  ['E6 O2 flow min', g.plausible.o2FlowLpm.min, 0, /O2 flow outside (\d+)–\d+ L\/min/],
  ['E6 O2 flow max', g.plausible.o2FlowLpm.max, 80, /O2 flow outside \d+–(\d+) L\/min/],
  ['E6 weight min', g.plausible.weightKg.min, 0.5, /weight outside ([\d.]+)–\d+ kg/],
  ['E6 weight max', g.plausible.weightKg.max, 500, /weight outside [\d.]+–(\d+) kg/],
  ['E6 SpO2 min', g.plausible.spo2Percent.min, 50, /SpO2 outside\s+(\d+)–\d+ %/],
  ['E6 SpO2 max', g.plausible.spo2Percent.max, 100, /SpO2 outside\s+\d+–(\d+) %/],
  ['E6 FiO2 min', g.plausible.fio2Percent.min, 21, /FiO2 outside (\d+)–\d+ %/],
  ['E6 FiO2 max', g.plausible.fio2Percent.max, 100, /FiO2 outside \d+–(\d+) %/],
  ['E3-R rateRecordActiveHours', g.rateRecordActiveHours, 6, /`rateRecordActiveHours` \(default \*\*(\d+)\*\*\)/],
  ['O1 FiO2 supplemental above', g.fio2LowFlowAbovePercent, 21, /charted FiO2 \(3150-0, or a component\) above (\d+) %/],
  ['O1 FiO2 high-flow from', g.fio2HighFlowFromPercent, 45, /\*\*≥ (\d+) %\*\* counts as high-flow/],
  ['F2 resolutionHours', g.resolutionHours, 24, /`resolutionHours` window \(default \*\*(\d+) h\*\*\)/],
  ['F2 maskingMaxHours', g.maskingMaxHours, 168, /`maskingMaxHours` \(default \*\*(\d+) h\*\*/],
  ['H1-P children until', g.pediatricSbpBelow.untilYears, 10, /an age under (\d+) years at the evaluation time/],
  ['H1-P base', g.pediatricSbpBelow.base, 70, /\*\*(\d+) \+ \d+ × age in whole years\*\*/],
  ['H1-P per year', g.pediatricSbpBelow.perYear, 2, /\*\*\d+ \+ (\d+) × age in whole years\*\*/],
  ['H1-P infants', g.pediatricSbpBelow.underOneYear, 70, /\*\*(\d+)\*\* for infants/],
  ['H1-P under one month', g.pediatricSbpBelow.underOneMonth, 60, /\*\*(\d+)\*\* under one\s+month/],
  ['T-S dexamethasone equivalent', t.steroidEquivalentMg['dexamethasone'] ?? Number.NaN, 0.75, /dexamethasone\s+([\d.]+) mg = methylprednisolone/],
  ['T-S methylprednisolone equivalent', t.steroidEquivalentMg['methylprednisolone'] ?? Number.NaN, 4, /= methylprednisolone (\d+) mg =/],
  ['T-S prednisone equivalent', t.steroidEquivalentMg['prednisone'] ?? Number.NaN, 5, /= prednisone (\d+) mg =/],
  ['T-S hydrocortisone equivalent', t.steroidEquivalentMg['hydrocortisone'] ?? Number.NaN, 20, /= hydrocortisone (\d+) mg\)/],
  ['T-P dexamethasone once', t.steroids.grade2Early.doseMg, 10, /also suggests dexamethasone (\d+) mg IV once/],
  ['T-D mgPerKg', toci.mgPerKg, 8, /\*\*(\d+) mg\/kg\*\* IV over \d+ min for weight ≥/],
  ['T-D infusionMinutes', toci.infusionMinutes, 60, /mg\/kg\*\* IV over (\d+) min/],
  ['T-D lowWeightBelowKg', toci.lowWeightBelowKg, 30, /for weight ≥ (\d+) kg/],
  ['T-D mgPerKgLowWeight', toci.mgPerKgLowWeight, 12, /\*\*(\d+) mg\/kg\*\* for weight </],
  ['T-D maxDoseMg', toci.maxDoseMg, 800, /\*\*never more than (\d+) mg per dose\*\*/],
  ['T-L maxDosesPer24h', toci.maxDosesPer24h, 3, /at most \*\*(\d+) doses in any 24 h\*\*/],
  ['T-L maxDosesPerEpisode', toci.maxDosesPerEpisode, 4, /at most \*\*(\d+) doses in the episode\*\*/],
  ['T-L minHoursBetweenDoses', toci.minHoursBetweenDoses, 8, /no sooner than \*\*(\d+) h\*\*/],
  ['OS1 doseTolerancePercent', toci.doseTolerancePercent, 10, /by more than (\d+)%/],
  ['T1 persistentFeverHours', t.persistentFeverHours, 72, /persisted \*\*> (\d+) h\*\*/],
  ['T2 refractoryAfterTocilizumabDoses', t.refractoryAfterTocilizumabDoses, 2, /If ≥ (\d+) tocilizumab doses/],
  ['T2 dexamethasone dose', t.steroids.grade2Refractory.doseMg, 10, /\*\*dexamethasone (\d+) mg IV every 12 h\*\*/],
  ['T2 dexamethasone interval', t.steroids.grade2Refractory.everyHours, 12, /\*\*dexamethasone \d+ mg IV every (12) h\*\*/],
  ['grade 3 dexamethasone dose', t.steroids.grade3.doseMg, 10, /plus dexamethasone (\d+) mg IV every 6 h\*\*/],
  ['grade 3 dexamethasone interval', t.steroids.grade3.everyHours, 6, /plus dexamethasone \d+ mg IV every (6) h\*\*/],
  ['grade 4 methylprednisolone dose', t.steroids.grade4.doseMg, 1000, /plus methylprednisolone (\d+) mg IV once daily/],
  ['grade 4 methylprednisolone days', t.steroids.grade4.durationDays ?? Number.NaN, 3, /once daily for (\d+) days\*\*/],
  ['T-S steroidRepeatWindowHours', t.steroidRepeatWindowHours, 24, /hydrocortisone \d+ mg\) over the last (\d+) h/],
];

describe('DEFAULT_CONFIG equals the values of crs-rules.md', () => {
  test.each(NUMBERS)('%s', (_what, actual, pinned) => {
    expect(actual).toBe(pinned);
  });

  test.runIf(rules !== undefined).each(NUMBERS)('%s is the number written in crs-rules.md', (_what, actual, _pinned, pattern) => {
    const match = pattern.exec(rules ?? '');
    expect(match, `pattern ${String(pattern)} not found in crs-rules.md`).not.toBeNull();
    expect(actual).toBe(Number(match?.[1]));
  });

  test('uses once-daily methylprednisolone, no inotropes, and the default switches of the rules', () => {
    expect(t.steroids.grade4.everyHours).toBe(24);
    expect(g.countInotropes).toBe(false); // H2
    expect(g.showGradeZero).toBe(false); // grade 0
    expect(g.matchNames).toBe(true); // section 6, "default on"
    expect(g.displayScales).toEqual([]); // section 7, placeholder
    expect(g.pediatricHypotension).toBe(true); // H1-P "by default"
    expect(t.conditionOnlySuggestions).toBe(false); // S2-T
    expect(t.earlySteroidProducts).toEqual([]); // T-P "default off"
    expect(t.steroids.grade2Early).toMatchObject({ concept: 'dexamethasone', route: 'IV', doses: 1 }); // T-P "once"
  });
});

const codes = (refs: readonly CodeRef[], system: string): string[] =>
  refs.filter((r) => r.system === system).map((r) => r.code).sort();
const all = (...concepts: Concept[]): CodeRef[] => concepts.flatMap((c) => c.codes);

/** The section-6 bullet starting with `**6.N`, up to the next bullet. */
function bullet(id: string): string {
  const start = (rules ?? '').indexOf(`**${id}`);
  const end = (rules ?? '').indexOf('\n- **', start + 1);
  return (rules ?? '').slice(start, end === -1 ? undefined : end);
}

function segment(text: string, from: string, to?: string): string {
  const start = text.indexOf(from);
  const end = to === undefined ? text.length : text.indexOf(to, start);
  return text.slice(start, end);
}

const digits = (text: string): string[] => [...text.matchAll(/\b(\d{5,})\b/g)].map((m) => m[1] ?? '').sort();

describe('default code lists equal section 6 of crs-rules.md', () => {
  const devices = DEFAULT_CONFIG.codeLists.oxygenDevices;
  const lists = DEFAULT_CONFIG.codeLists;

  test('pins the key codes of every list', () => {
    expect(codes(all(devices.positivePressure), SNOMED)).toContain('47545007'); // 6.1 CPAP
    expect(lists.vasopressors['norepinephrine']?.codes).toEqual([{ system: RXNORM, code: '7512' }]); // 6.2
    expect(lists.vasopressors['vasopressin']?.codes).toEqual([{ system: RXNORM, code: '11149' }]); // H2 special
    expect(lists.antiCytokines['tocilizumab']?.codes).toEqual([{ system: RXNORM, code: '612865' }]); // 6.3
    expect(lists.crsTherapies.carT['tisagenlecleucel']?.names).toContain('Kymriah'); // 6.4
    expect(codes(lists.observations.bodyTemperature, LOINC)).toEqual(['75539-7', '8310-5', '8328-7', '8329-5', '8331-1', '8332-9', '8333-7']); // 6.5
    expect(codes(lists.crsConditions.codes, ICD10CM)).toContain('D89.839'); // 6.6
  });

  describe.runIf(rules !== undefined)('read from the rule text', () => {
    test('6.1 oxygen devices, tier by tier', () => {
      const text = bullet('6.1');
      expect(codes(devices.lowFlow.codes, SNOMED)).toEqual(digits(segment(text, 'low-flow:', 'high-flow:')));
      expect(codes(devices.highFlow.codes, SNOMED)).toEqual(digits(segment(text, 'high-flow:', 'positive pressure:')));
      expect(codes(devices.positivePressure.codes, SNOMED)).toEqual(digits(segment(text, 'positive pressure:', 'room air:')));
      expect(codes(devices.roomAir.codes, SNOMED)).toEqual(digits(segment(text, 'room air:', 'Default text synonyms')));
    });

    test('6.1 default text synonyms, tier by tier', () => {
      const text = segment(bullet('6.1'), 'Default text synonyms').replace(/\s+/g, ' ');
      const quoted = (from: string, to: string): string[] => [...segment(text, from, to).matchAll(/"([^"]+)"/g)].map((m) => m[1] ?? '');
      expect(devices.lowFlow.names).toEqual(quoted('low-flow —', 'high-flow —'));
      expect(devices.highFlow.names).toEqual(quoted('high-flow —', 'positive pressure —'));
      expect(devices.positivePressure.names).toEqual(quoted('positive pressure —', 'room air —'));
      expect(devices.roomAir.names).toEqual(quoted('room air —', 'A word inside'));
    });

    test('6.2 vasopressors and inotropes', () => {
      const text = bullet('6.2');
      const pairs = Object.fromEntries([...text.matchAll(/([a-z]+) (\d+)/g)].map((m) => [m[1], m[2]]));
      for (const [name, concept] of Object.entries({ ...lists.vasopressors, ...lists.inotropes })) {
        expect(codes(concept.codes, RXNORM)).toEqual(pairs[name] === undefined ? [] : [pairs[name]]);
      }
      expect(Object.keys(lists.vasopressors).sort()).toEqual(['dopamine', 'epinephrine', 'norepinephrine', 'phenylephrine', 'vasopressin']);
      expect(text).toContain('milrinone');
    });

    test('6.3 treatments', () => {
      const text = bullet('6.3');
      const pairs = [...text.matchAll(/([a-z]+) (\d+)/g)].map((m) => [m[1] ?? '', m[2] ?? ''] as const);
      const treatments = { ...lists.antiCytokines, ...lists.corticosteroids, ...lists.antipyretics };
      expect(pairs.length).toBe(8);
      for (const [name, code] of pairs) {
        expect(treatments[name]?.codes.map(formatCodeRef)).toEqual([`${RXNORM}|${code}`]);
      }
      expect(treatments['siltuximab']?.names).toEqual(['siltuximab']); // "(by name)"
      // rev. 2: the brand and biosimilar names of tocilizumab
      const names = segment(text.replace(/\s+/g, ' '), 'biosimilar name,', '; a `medicationReference');
      expect(treatments['tocilizumab']?.names).toEqual(['tocilizumab', ...names.replace('biosimilar name,', '').split(',').map((n) => n.trim())]);
    });

    test('F2 non-systemic routes and forms', () => {
      const f2 = segment(rules ?? '', '*Systemic* *(choice)*', 'No route and no such text').replace(/\s+/g, ' ');
      expect(codes(lists.nonSystemicRoutes.codes, SNOMED)).toEqual(digits(f2));
      const forms = segment(f2, 'non-systemic form (', ')').replace('non-systemic form (', '');
      expect(lists.nonSystemicForms.names).toEqual(forms.split(',').map((n) => n.trim()));
    });

    test('6.4 CRS-associated therapies, generic and brand names', () => {
      const text = bullet('6.4');
      const therapies = { ...lists.crsTherapies.carT, ...lists.crsTherapies.tCellEngagers };
      const names = Object.values(therapies).flatMap((c) => c.names);
      const pairs = [...text.replace(/\s+/g, ' ').matchAll(/([a-z]+(?: [a-z]+)?) \(([A-Z][a-z]+)\)/g)];
      expect(pairs.length).toBe(Object.keys(therapies).length);
      for (const [, generic, brand] of pairs) {
        expect(names).toContain(generic);
        expect(names).toContain(brand);
      }
    });

    test('6.5 LOINC codes', () => {
      const inRules = [...bullet('6.5').matchAll(/\b(\d{3,6}-\d)\b/g)].map((m) => m[1]).sort();
      const inDefaults = Object.values(lists.observations).flatMap((list) => codes(list ?? [], LOINC)).sort();
      expect(inDefaults).toEqual(inRules);
    });

    test('6.6 CRS diagnosis codes, D89.831–D89.835 expanded', () => {
      const text = bullet('6.6');
      expect(text).toContain('D89.831–D89.835');
      const expected = ['D89.83', 'D89.831', 'D89.832', 'D89.833', 'D89.834', 'D89.835', 'D89.839'];
      for (const code of ['D89.83', 'D89.839']) {
        expect(text).toContain(code);
      }
      expect(codes(lists.crsConditions.codes, ICD10CM)).toEqual(expected.sort());
    });
  });
});
