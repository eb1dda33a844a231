import { describe, expect, test } from 'vitest';
import { ALL_SERVICES, servicesFor } from '../../hooks/index.js';
import { DEFAULT_CONFIG } from '../../src/config/defaults.js';

/** CDS Hooks 2.0 prefetch tokens our hooks may use: context ids and the user tokens, no FHIRPath or dates. */
const LEGAL_TOKENS = new Set([
  '{{context.patientId}}',
  '{{context.userId}}',
  '{{context.encounterId}}',
  '{{userPractitionerId}}',
  '{{userPractitionerRoleId}}',
  '{{userPatientId}}',
  '{{userRelatedPersonId}}',
]);

describe('hook definitions', () => {
  test('declare the contract service ids and hooks, in discovery order', () => {
    expect(ALL_SERVICES.map((s) => [s.id, s.hook])).toEqual([
      ['crs-patient-view', 'patient-view'],
      ['crs-order-select', 'order-select'],
      ['crs-order-sign', 'order-sign'],
    ]);
  });

  test('order-sign prefetches exactly what order-select does', () => {
    const [, select, sign] = ALL_SERVICES;
    expect(sign?.prefetch).toEqual(select?.prefetch);
  });

  test.each(ALL_SERVICES.flatMap((s) => Object.entries(s.prefetch).map(([key, t]) => [s.id, key, t.query] as const)))(
    '%s prefetch %s uses only CDS Hooks 2.0 tokens',
    (_id, _key, query) => {
      const tokens = query.match(/\{\{[^}]*\}\}/g) ?? [];
      expect(tokens.length).toBeGreaterThan(0);
      expect(tokens.filter((token) => !LEGAL_TOKENS.has(token))).toEqual([]);
      expect(query).not.toMatch(/today\(|resolve\(|ofType\(/);
    },
  );

  test('fetch every LOINC code grading needs (crs-rules 6.5), by code rather than category', () => {
    const queries = Object.values(ALL_SERVICES[0]?.prefetch ?? {}).map((t) => t.query).join('\n');
    const { observations } = DEFAULT_CONFIG.codeLists;
    const needed = [
      ...observations.bodyTemperature,
      ...observations.systolicBp,
      ...observations.bpPanel,
      ...observations.meanArterialPressure,
      ...observations.spo2,
      ...observations.o2FlowRate,
      ...observations.fio2,
      ...observations.o2DeliveryMethod,
      ...observations.bodyWeight,
    ];
    for (const { system, code } of needed) {
      expect(queries).toContain(`${system}|${code}`);
    }
    expect(queries).not.toContain('category=');
    expect(queries).toContain('_include=MedicationAdministration:medication');
  });

  test('6.5 revision 2: both services prefetch the temperature at every site (oral, axillary, rectal, tympanic, temporal, core)', () => {
    for (const service of ALL_SERVICES) {
      const query = service.prefetch['temperature']?.query ?? '';
      for (const code of ['8310-5', '8331-1', '8328-7', '8332-9', '8333-7', '75539-7', '8329-5']) {
        expect(query).toContain(`http://loinc.org|${code}`);
      }
    }
  });

  test('search queries are newest first and bounded', () => {
    for (const template of Object.values(ALL_SERVICES[0]?.prefetch ?? {})) {
      if (template.query.includes('?')) {
        expect(template.query).toMatch(/&_count=\d+/);
      }
    }
  });

  test('only services enabled explicitly are served', () => {
    const enabled = (map: Record<string, boolean>) => servicesFor({ ...DEFAULT_CONFIG, services: { enabled: map } }).map((s) => s.id);
    expect(enabled({ 'crs-patient-view': true, 'crs-order-select': false })).toEqual(['crs-patient-view']);
    expect(enabled({})).toEqual([]);
  });

  test('with the default configuration serve exactly the static definitions', () => {
    expect(servicesFor(DEFAULT_CONFIG)).toEqual(ALL_SERVICES);
  });

  test('fetch the codes a site adds to its code lists (templates follow configuration)', () => {
    const codeLists = {
      ...DEFAULT_CONFIG.codeLists,
      observations: { ...DEFAULT_CONFIG.codeLists.observations, bodyTemperature: [{ system: 'urn:site', code: 'TEMP-1' }] },
      crsConditions: { codes: [{ system: 'urn:site', code: 'X12.3' }], names: [] },
    };
    const [service] = servicesFor({ ...DEFAULT_CONFIG, codeLists });
    expect(service?.prefetch.temperature?.query).toBe(
      'Observation?patient=Patient/{{context.patientId}}&code=urn:site|TEMP-1&_sort=-date&_count=500',
    );
    expect(service?.prefetch.crsConditions?.query).toBe('Condition?patient=Patient/{{context.patientId}}&code=X12.3,X123&_count=100');
  });
});
