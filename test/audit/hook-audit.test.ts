/**
 * The audit trail through the real app and engine: every card of an answered hook call is recorded
 * before the answer is sent, with its template, grade, suggestions (drug family), configuration version
 * and the hashed patient; feedback joins it by card uuid; a failing audit write never costs the answer.
 */
import { readFileSync } from 'node:fs';
import request from 'supertest';
import { describe, expect, test } from 'vitest';
import { hashPatientRef } from '../../src/auth/log-safety.js';
import { buildRuntime } from '../../src/engine/build-runtime.js';
import { createMetrics } from '../../src/metrics.js';
import { createApp, type AppDeps } from '../../src/protocol/app.js';
import type { AuditRecord, AuditStore, AuditedCard } from '../../src/storage/audit-store.js';
import { sqliteAuditStore } from '../../src/storage/sqlite-audit-store.js';
import { openSqliteDatabase } from '../../src/storage/sqlite-database.js';
import { sqliteFeedbackStore } from '../../src/storage/sqlite-feedback-store.js';
import { memoryLogger, testConfig } from '../support/hook-requests.js';

const example = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`../../examples/requests/${name}.json`, import.meta.url), 'utf8')) as Record<string, unknown>;
const NOW = new Date('2026-11-21T10:00:00Z');
const RANGE = { from: new Date('2026-11-01T00:00:00Z'), to: new Date('2026-12-01T00:00:00Z') };

function harness(auditOverride?: (real: AuditStore) => AuditStore) {
  const db = openSqliteDatabase(':memory:');
  const feedbackStore = sqliteFeedbackStore(db);
  const realAudit = sqliteAuditStore(db);
  const auditStore = auditOverride === undefined ? realAudit : auditOverride(realAudit);
  const runtime = buildRuntime(testConfig());
  const { logger, lines } = memoryLogger();
  const metrics = createMetrics();
  const deps: AppDeps = { runtime: () => runtime, logger, feedbackStore, auditStore, metrics, now: () => NOW };
  return { app: createApp(deps), audit: realAudit, runtime, lines, metrics };
}

async function cards(audit: AuditStore): Promise<AuditedCard[]> {
  const out: AuditedCard[] = [];
  for await (const card of audit.cardsWithFeedback(RANGE)) out.push(card);
  return out;
}

describe('audit trail of hook calls', () => {
  test('records each patient-view card with template, grade, suggestions, version and the hashed patient only', async () => {
    const { app, audit, runtime } = harness();
    const res = await request(app).post('/cds-services/crs-patient-view').send(example('patient-view-grade-2')).expect(200);
    const [card] = res.body.cards as { uuid: string; suggestions: { uuid: string; label: string }[] }[];
    const stored = await cards(audit);
    expect(stored).toEqual([
      {
        card: {
          cardUuid: card?.uuid,
          serviceId: 'crs-patient-view',
          templateId: 'crs-grade-2',
          indicator: 'warning',
          grade: 2,
          episodeMaxGrade: 2,
          suggestions: card?.suggestions.map((s) => ({ uuid: s.uuid, label: s.label, drug: 'tocilizumab' })),
          configVersion: runtime.configVersion,
          patientHash: hashPatientRef('Patient/pat-1'),
          recordedAt: NOW.toISOString(),
        },
        feedback: [],
      },
    ]);
    // No identifier, name or resource of the request reaches the record.
    const text = JSON.stringify(stored);
    expect(text).not.toContain('pat-1');
    expect(text).not.toContain('Practitioner');
    expect(JSON.stringify(res.body)).not.toContain('crs-grade-2');
  });

  test('records order-select cards with their template and an update suggestion as tocilizumab', async () => {
    const { app, audit } = harness();
    const res = await request(app).post('/cds-services/crs-order-select').send(example('order-select-tocilizumab-900mg')).expect(200);
    const stored = (await cards(audit)).map((c) => c.card);
    expect(stored.map((c) => c.cardUuid)).toEqual(res.body.cards.map((c: { uuid: string }) => c.uuid));
    expect(stored.map((c) => [c.serviceId, c.templateId, c.suggestions.map((s) => s.drug)])).toContainEqual(['crs-order-select', 'crs-os-dose', ['tocilizumab']]);
  });

  test('records every order-sign card, joins its feedback and counts it per service', async () => {
    const { app, audit, metrics } = harness();
    const res = await request(app).post('/cds-services/crs-order-sign').send(example('order-sign-tocilizumab-norepinephrine')).expect(200);
    // The store lists records in its own order: compared by template.
    const byTemplate = (rows: AuditedCard[]) => [...rows].sort((a, b) => a.card.templateId.localeCompare(b.card.templateId));
    const stored = byTemplate(await cards(audit));
    expect(stored.map(({ card }) => [card.cardUuid, card.serviceId, card.templateId])).toEqual([
      [res.body.cards[0].uuid, 'crs-order-sign', 'crs-os-dose'],
      [res.body.cards[1].uuid, 'crs-order-sign', 'crs-os-vasopressor'],
    ]);
    expect(stored[0]?.card.suggestions.map((s) => s.drug)).toEqual(['tocilizumab']);
    await request(app)
      .post('/cds-services/crs-order-sign/feedback')
      .send({ feedback: [{ card: res.body.cards[1].uuid, outcome: 'overridden', outcomeTimestamp: '2026-11-21T10:03:00Z' }] })
      .expect(200);
    expect(byTemplate(await cards(audit)).map((c) => c.feedback.map((f) => f.outcome))).toEqual([[], ['overridden']]);
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/^crs_cds_assessments_total\{service="crs-order-sign",grade="2"\} 1$/m);
    expect(text).toMatch(/^crs_cds_feedback_total\{service="crs-order-sign",outcome="overridden",reason="none"\} 1$/m);
  });

  test('records nothing for an answer without cards', async () => {
    const { app, audit } = harness();
    const body = example('patient-view-grade-2');
    const prefetch = Object.fromEntries(Object.keys(body.prefetch as object).map((k) => [k, null]));
    const res = await request(app).post('/cds-services/crs-patient-view').send({ ...body, prefetch }).expect(200);
    expect(res.body).toEqual({ cards: [] });
    expect(await cards(audit)).toEqual([]);
  });

  test('joins feedback to the card it is about', async () => {
    const { app, audit } = harness();
    const res = await request(app).post('/cds-services/crs-patient-view').send(example('patient-view-grade-2')).expect(200);
    const card = res.body.cards[0] as { uuid: string; suggestions: { uuid: string }[] };
    await request(app)
      .post('/cds-services/crs-patient-view/feedback')
      .send({ feedback: [{ card: card.uuid, outcome: 'accepted', acceptedSuggestions: [{ id: card.suggestions[0]?.uuid }], outcomeTimestamp: '2026-11-21T10:03:00Z' }] })
      .expect(200);
    const [stored] = await cards(audit);
    expect(stored?.feedback).toEqual([
      { outcome: 'accepted', acceptedSuggestionIds: [card.suggestions[0]?.uuid], outcomeTimestamp: '2026-11-21T10:03:00Z', receivedAt: NOW.toISOString() },
    ]);
  });

  test('writes the records before the answer is sent', async () => {
    let written = false;
    const { app } = harness((real) => ({
      ...real,
      record: async (records: readonly AuditRecord[]) => {
        await new Promise((resolve) => setTimeout(resolve, 50));
        await real.record(records);
        written = true;
      },
    }));
    await request(app).post('/cds-services/crs-patient-view').send(example('patient-view-grade-2')).expect(200);
    expect(written).toBe(true);
  });

  test('a failing audit write still answers the same cards, logs the error name only and counts it', async () => {
    const broken = harness((real) => ({ ...real, record: async () => Promise.reject(new Error('SQLITE_FULL at /var/secret pat-1')) }));
    const healthy = harness();
    const body = example('patient-view-grade-2');
    // One Host for both: the timeline link follows the origin called (issue 12), and each app listens on its own port.
    const failed = await request(broken.app).post('/cds-services/crs-patient-view').set('Host', 'cds.example.org').send(body).expect(200);
    const ok = await request(healthy.app).post('/cds-services/crs-patient-view').set('Host', 'cds.example.org').send(body).expect(200);
    const withoutIds = (r: { body: unknown }): string => JSON.stringify(r.body).replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, 'uuid');
    expect(withoutIds(failed)).toBe(withoutIds(ok));
    const errors = broken.lines.filter((line) => line.includes('audit write failed'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('"errorName":"Error"');
    expect(errors[0]).not.toContain('SQLITE_FULL');
    expect(await broken.metrics.registry.getSingleMetricAsString('crs_cds_audit_write_failures_total')).toContain('crs_cds_audit_write_failures_total{service="crs-patient-view"} 1');
  });
});
