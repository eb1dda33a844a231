/**
 * crs-order-sign end to end through the running service (`npm start`'s process, default configuration,
 * grading with the wall clock) over a real FHIR search implementation (medplum, in memory, on 127.0.0.1):
 * every order being signed is checked, the service fetching the data itself or the EHR prefetching it,
 * with the same cards. Every answer goes through the CDS Hooks checker and both FHIR validators here (a
 * spawned process is outside the suite's response recorder).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MedicationRequest } from 'fhir/r4.js';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { crsOrderSign } from '../../hooks/crs-order-sign.js';
import { relativeTo } from '../../scripts/shift-times.js';
import { fillPrefetchTemplate } from '../../src/fhir/prefetch-template.js';
import { assertValidResponse } from '../support/card-invariants.js';
import { startFhirServer, type TestFhirServer } from '../support/fhir-server.js';
import { assertValidFhirResource } from '../support/fhir-validators.js';
import { fhirAuthorization } from '../support/hook-requests.js';
import { exited, startServerProcess, type ServerProcess } from '../support/server-process.js';
import { SYNTHETIC_PATIENT_ID, syntheticCrsPatient } from '../support/synthetic-patient.js';

const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';
const subject = { reference: `Patient/${SYNTHETIC_PATIENT_ID}` };

function order(id: string, code: string, display: string, status: MedicationRequest['status'], doseMg?: number): MedicationRequest {
  return {
    resourceType: 'MedicationRequest',
    id,
    status,
    intent: 'order',
    subject,
    medicationCodeableConcept: { coding: [{ system: RXNORM, code, display }], text: display },
    ...(doseMg === undefined ? {} : { dosageInstruction: [{ doseAndRate: [{ doseQuantity: { value: doseMg, unit: 'mg', system: 'http://unitsofmeasure.org', code: 'mg' } }] }] }),
  };
}

/** A 900 mg tocilizumab draft (OS1), an active epinephrine order re-signed (OS4), a cancelled one and a clean one. */
const ORDERS = {
  resourceType: 'Bundle',
  type: 'collection',
  entry: [
    order('toci-900', '612865', 'tocilizumab', 'draft', 900),
    order('epi-active', '3992', 'epinephrine', 'active'),
    order('toci-cancelled', '612865', 'tocilizumab', 'cancelled', 900),
    order('apap', '161', 'acetaminophen', 'draft', 650),
  ].map((resource) => ({ resource })),
};
const context = { userId: 'Practitioner/prac-1', patientId: SYNTHETIC_PATIENT_ID, draftOrders: ORDERS };

let fhir: TestFhirServer;
let server: ServerProcess;
let base: string;

beforeAll(async () => {
  // The process grades with the wall clock: the synthetic patient (written for 2026-11-21 10:00 UTC) is moved to now.
  fhir = await startFhirServer(relativeTo(syntheticCrsPatient(), new Date()));
  const dir = mkdtempSync(join(tmpdir(), 'crs-order-sign-'));
  const config = join(dir, 'site.yaml');
  writeFileSync(config, `storage:\n  sqlitePath: ${JSON.stringify(join(dir, 'feedback.sqlite'))}\n`);
  server = startServerProcess({ CRS_CDS_CONFIG: config });
  base = await server.baseUrl();
}, 60_000);

afterAll(async () => {
  server.child.kill('SIGTERM');
  await exited(server.child);
  await fhir.close();
});

async function sign(body: Record<string, unknown>): Promise<{ status: number; body: any }> {
  const res = await fetch(`${base}/cds-services/crs-order-sign`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: await res.json() };
}

/** The CDS Hooks checker and both FHIR validators over one answer. */
function assertConformant(body: { cards: { suggestions?: { actions?: { resource?: unknown }[] }[] }[] }): void {
  assertValidResponse(body);
  for (const card of body.cards) {
    for (const action of (card.suggestions ?? []).flatMap((s) => s.actions ?? [])) {
      if (action.resource !== undefined) assertValidFhirResource(action.resource, 'order-sign suggestion');
    }
  }
}

/** What an EHR would prefetch: each template run against the same FHIR server. */
async function ehrPrefetch(): Promise<Record<string, unknown>> {
  const entries = await Promise.all(
    Object.entries(crsOrderSign.prefetch).map(async ([key, template]) => {
      const res = await fetch(`${fhir.baseUrl}/${fillPrefetchTemplate(template.query, context)}`);
      return [key, (await res.json()) as unknown] as const;
    }),
  );
  return Object.fromEntries(entries);
}

/**
 * An answer without what differs between two calls: the uuids, and the wall-clock evaluation time (also
 * where a card names it, to the minute, so two calls on either side of a minute still compare).
 */
function comparable(body: { extension: Record<string, { evaluatedAt: string }> }): unknown {
  const now = body.extension['crs-cds.assessment']?.evaluatedAt ?? '';
  const shown = `${now.slice(0, 10)} ${now.slice(11, 16)} UTC`;
  return JSON.parse(JSON.stringify(body).replaceAll(shown, '<now>'), (key, v: unknown) => (key === 'uuid' || key === 'evaluatedAt' ? undefined : v));
}

describe('crs-order-sign through the running service', () => {
  test('discovery lists crs-order-sign with the order-select prefetch templates', async () => {
    const { services } = (await (await fetch(`${base}/cds-services`)).json()) as { services: { id: string; hook: string; prefetch: Record<string, string> }[] };
    const listed = services.find((s) => s.id === 'crs-order-sign');
    expect(listed?.hook).toBe('order-sign');
    expect(listed?.prefetch).toEqual(services.find((s) => s.id === 'crs-order-select')?.prefetch);
  });

  test('fetched and prefetched: every order checked, one card per problem, the same cards both ways', async () => {
    const call = { hook: 'order-sign', hookInstance: '0f8e1a52-7c4b-4d0e-9a51-3b2c6d7e8f90', context };
    const fetched = await sign({ ...call, fhirServer: fhir.baseUrl, fhirAuthorization: fhirAuthorization('e2e-token') });
    expect(fetched.status).toBe(200);
    assertConformant(fetched.body);
    expect(new Set(fhir.authorizations)).toEqual(new Set(['Bearer e2e-token']));
    expect(fetched.body.extension['crs-cds.assessment'].grade).toBe(3);
    // OS1 on the draft (72 kg × 8 mg/kg = 576 mg), OS4 on the active order re-signed; the cancelled and the clean order: none.
    expect(fetched.body.cards.map((c: { indicator: string }) => c.indicator)).toEqual(['warning', 'info']);
    const update = fetched.body.cards[0].suggestions[0].actions[0];
    expect(update.type).toBe('update');
    expect(update.resource).toMatchObject({ id: 'toci-900', status: 'draft' });
    expect(update.resource.dosageInstruction[0].doseAndRate[0].doseQuantity.value).toBe(576);
    expect(fetched.body.cards[1].summary).toMatch(/^Starting epinephrine makes CRS grade ≥ 3/);

    const prefetched = await sign({ ...call, prefetch: await ehrPrefetch(), fhirServer: fhir.baseUrl });
    expect(prefetched.status).toBe(200);
    assertConformant(prefetched.body);
    expect(comparable(prefetched.body)).toEqual(comparable(fetched.body));
  });

  test('a draftOrders that is not a Bundle is a 400 OperationOutcome naming the field', async () => {
    const res = await sign({ hook: 'order-sign', hookInstance: '0f8e1a52-7c4b-4d0e-9a51-3b2c6d7e8f91', context: { ...context, draftOrders: { resourceType: 'MedicationRequest' } } });
    expect(res.status).toBe(400);
    assertValidFhirResource(res.body, 'order-sign 400');
    expect(res.body.issue[0].expression).toEqual(['context.draftOrders.resourceType']);
  });
});
