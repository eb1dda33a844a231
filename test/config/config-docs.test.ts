import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { generateConfigDocs } from '../../src/config/config-docs.js';
import { DEFAULT_CONFIG } from '../../src/config/defaults.js';
import { formatCodeRef } from '../../src/config/code-refs.js';

const committed = readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8');

describe('docs/configuration.md', () => {
  test('is current: regenerating it from the schema gives the committed file (run scripts/generate-config-docs.ts)', () => {
    expect(committed).toBe(generateConfigDocs());
  });

  test('documents the contract keys with their rule id and default', () => {
    expect(committed).toMatch(/\| `grading.feverCelsius` \| number \| `38.0` \| °C, between 37 and 40 \| F1 \|/);
    for (const key of ['grading.sbpBelow', 'grading.mapBelow', 'grading.lowFlowMaxLpm', 'grading.lookbackHours', 'grading.monitoringWindowDays', 'grading.showGradeZero', 'fhir.allowedServers', 'fhir.timeoutMs', 'auth.audience', 'auth.trustedIssuers']) {
      expect(committed).toContain(`| \`${key}\` |`);
    }
  });

  test('lists every default code of every code list and explains the delta syntax', () => {
    const lists = DEFAULT_CONFIG.codeLists;
    const refs = [
      ...Object.values(lists.oxygenDevices), ...Object.values(lists.vasopressors), ...Object.values(lists.inotropes),
      ...Object.values(lists.antiCytokines), ...Object.values(lists.corticosteroids), ...Object.values(lists.antipyretics),
      ...Object.values(lists.crsTherapies.carT), ...Object.values(lists.crsTherapies.tCellEngagers), lists.crsConditions,
    ].flatMap((c) => c.codes).concat(Object.values(lists.observations).flatMap((l) => l ?? []));
    for (const ref of refs) {
      expect(committed).toContain(formatCodeRef(ref).replace('|', '\\|'));
    }
    for (const keyword of ['addCodes', 'addNames', 'removeCodes', 'removeNames', 'remove: true']) {
      expect(committed).toContain(keyword);
    }
  });
});
