/**
 * `crs-cds grade` (contract "Command line"): the same JSON crs-patient-view answers for the data at
 * that time, reproducible uuids, and exit 2 with a one-line reason for bad input.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { assertValidResponse } from '../support/card-invariants.js';
import { captureIo } from './helpers.js';

const BUNDLE = fileURLToPath(new URL('../fixtures/cli/grade-2-bundle.json', import.meta.url));
const AT = '2026-11-21T10:00:00Z';
const scratch = mkdtempSync(join(tmpdir(), 'crs-grade-'));

function writeScratch(name: string, content: string): string {
  const path = join(scratch, name);
  writeFileSync(path, content);
  return path;
}

async function grade(...args: string[]) {
  const io = captureIo();
  const status = await runCli(['grade', ...args], io);
  return { status, out: io.out(), err: io.err() };
}

describe('crs-cds grade', () => {
  test('grades a febrile hypotensive CAR-T patient 2 and recommends the weight-based tocilizumab dose', async () => {
    const { status, out, err } = await grade(BUNDLE, '--at', AT);
    expect(err).toBe('');
    expect(status).toBe(0);
    const response = JSON.parse(out);
    assertValidResponse(response);
    const assessment = response.extension['crs-cds.assessment'];
    expect(assessment).toMatchObject({ scale: 'ASTCT-2019', grade: 2, episodeMaxGrade: 2, evaluatedAt: '2026-11-21T10:00:00.000Z', lookbackHours: 24 });
    expect(assessment.monitoring).toMatchObject({ basis: 'therapy', dayPlus: 3 });
    // T-D: 154 lb = 69.853 kg × 8 mg/kg = 558.8 mg, rounded down to 558 mg.
    const [card] = response.cards;
    expect(card.indicator).toBe('warning');
    const tocilizumab = card.suggestions[0].actions[0].resource;
    expect(tocilizumab.dosageInstruction[0].doseAndRate[0].doseQuantity).toEqual({
      value: 558, unit: 'mg', system: 'http://unitsofmeasure.org', code: 'mg',
    });
    expect(tocilizumab.subject).toEqual({ reference: 'Patient/pat-1' });
  });

  test('prints the same output, uuids included, for the same input and time', async () => {
    const first = await grade(BUNDLE, '--at', AT);
    const second = await grade(BUNDLE, '--at', AT);
    expect(second.out).toBe(first.out);
    const later = await grade(BUNDLE, '--at', '2026-11-21T10:05:00Z');
    expect(JSON.parse(later.out).cards[0].uuid).not.toBe(JSON.parse(first.out).cards[0].uuid);
  });

  test('answers as the service would for duplicated entries: one tocilizumab dose counts once (T-L)', async () => {
    const withDose = JSON.parse(readFileSync(BUNDLE, 'utf8'));
    const dose = {
      resourceType: 'MedicationAdministration', id: 'toci-1', status: 'completed', subject: { reference: 'Patient/pat-1' },
      medicationCodeableConcept: { coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '612865' }] },
      effectiveDateTime: '2026-11-21T09:30:00Z',
    };
    withDose.entry.push({ resource: dose });
    const once = await grade(writeScratch('once.json', JSON.stringify(withDose)), '--at', AT);
    withDose.entry.push({ resource: dose });
    const twice = await grade(writeScratch('twice.json', JSON.stringify(withDose)), '--at', AT);
    const assessmentOf = (out: string) => JSON.parse(out).extension['crs-cds.assessment'];
    expect(assessmentOf(once.out).tocilizumab.dosesLast24h).toBe(1);
    expect(assessmentOf(twice.out)).toEqual(assessmentOf(once.out));
  });

  test('replays history: before the infusion the patient is not monitored and gets no cards (S1, S3)', async () => {
    const { status, out } = await grade(BUNDLE, '--at', '2026-11-18T08:00:00Z');
    expect(status).toBe(0);
    expect(JSON.parse(out)).toEqual({ cards: [] });
  });

  test('applies --config: a lower hypotension threshold turns SBP 84 into no hypotension (H1)', async () => {
    const config = writeScratch('site.yaml', 'grading:\n  sbpBelow: 80\n');
    const { status, out } = await grade(BUNDLE, '--at', AT, '--config', config);
    expect(status).toBe(0);
    expect(JSON.parse(out).extension['crs-cds.assessment'].grade).toBe(1);
  });

  const bundleOf = (value: unknown) => writeScratch(`b${Math.random()}.json`, JSON.stringify(value));
  const twoPatients = JSON.parse(readFileSync(BUNDLE, 'utf8'));
  twoPatients.entry.push({ resource: { resourceType: 'Patient', id: 'pat-2' } });

  test.each([
    ['no bundle argument', () => [], /^crs-cds grade: usage: crs-cds grade <bundle\.json>/],
    ['a missing file', () => [join(scratch, 'absent.json')], /^crs-cds grade: cannot read .*absent\.json\n$/],
    ['invalid JSON', () => [writeScratch('bad.json', '{ "resourceType": ')], /is not valid JSON\n$/],
    ['a resource that is not a Bundle', () => [bundleOf({ resourceType: 'Patient', id: 'x' })], /is not a FHIR Bundle/],
    ['a Bundle of another type', () => [bundleOf({ resourceType: 'Bundle', type: 'history', entry: [] })], /Bundle\.type must be collection, searchset or transaction/],
    ['an entry without resourceType', () => [bundleOf({ resourceType: 'Bundle', type: 'collection', entry: [{ resource: { id: 'x' } }] })], /entry\[0\]\.resource has no resourceType/],
    ['a Bundle naming no patient', () => [bundleOf({ resourceType: 'Bundle', type: 'collection', entry: [] })], /names no patient/],
    ['a Bundle holding two patients', () => [bundleOf(twoPatients)], /holds 2 patients/],
    ['an --at without an offset', () => [BUNDLE, '--at', '2026-11-21T10:00'], /--at must be an ISO-8601 time with an offset/],
    ['an invalid configuration', () => [BUNDLE, '--config', writeScratch('bad.yaml', 'grading:\n  feverCelsius: 50\n')], /invalid configuration: grading\.feverCelsius/],
  ])('exits 2 with a one-line reason for %s', async (_name, args, reason) => {
    const { status, out, err } = await grade(...args());
    expect(status).toBe(2);
    expect(out).toBe('');
    expect(err).toMatch(reason);
    expect(err.trimEnd().split('\n')).toHaveLength(1);
  });
});
