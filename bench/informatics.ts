/**
 * Benchmark of the informatics workbench (issue 11), on a file-backed store in a temp directory:
 * 1. the audit write of one hook call (one card), as the hook path does it (WAL, synchronous NORMAL),
 *    against the same insert committed with an fsync (synchronous FULL);
 * 2. patient-view calls over loopback (8 concurrent, the real engine, the README's grade-2 request)
 *    with and without the audit store, in alternating rounds, so the write's share of a call is visible;
 * 3. analytics over 100,000 audited cards and 60,000 feedback entries (GET /analytics's computation).
 * Run with `npm run bench:informatics` (under the shared lock on a shared machine).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { loadAnalytics } from '../src/analytics/load-analytics.js';
import { DEFAULT_CONFIG } from '../src/config/defaults.js';
import { buildRuntime } from '../src/engine/build-runtime.js';
import { createApp } from '../src/protocol/app.js';
import type { AuditRecord, AuditStore } from '../src/storage/audit-store.js';
import { sqliteAuditStore } from '../src/storage/sqlite-audit-store.js';
import { openSqliteDatabase } from '../src/storage/sqlite-database.js';
import { sqliteFeedbackStore } from '../src/storage/sqlite-feedback-store.js';
import { listenOnLoopback } from '../test/support/listen.js';

const dir = mkdtempSync(join(tmpdir(), 'crs-bench-informatics-'));
const ms = (values: number[], q: number): string => {
  const sorted = [...values].sort((a, b) => a - b);
  return (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0).toFixed(3);
};

const record = (n: number, at: number): AuditRecord => ({
  cardUuid: randomUUID(),
  serviceId: n % 5 === 0 ? 'crs-order-select' : 'crs-patient-view',
  templateId: ['crs-grade-1', 'crs-grade-2', 'crs-grade-3', 'crs-grade-4', 'crs-os-dose'][n % 5] as string,
  indicator: 'warning',
  grade: (n % 4) + 1,
  episodeMaxGrade: 4,
  suggestions: [{ uuid: randomUUID(), label: 'Order tocilizumab 558 mg IV over 60 min', drug: 'tocilizumab' }],
  configVersion: n < 50_000 ? '3f9a1c0e7b2d4a65' : 'b81d6e2f09c4a337',
  patientHash: `p${n % 3000}`.padEnd(16, '0'),
  recordedAt: new Date(at).toISOString(),
});

async function auditWriteCost(): Promise<void> {
  const db = openSqliteDatabase(join(dir, 'write.sqlite'));
  const store = sqliteAuditStore(db);
  const normal: number[] = [];
  const full: number[] = [];
  const insertFull = db.prepare('INSERT INTO audit_card VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
  for (let i = 0; i < 2000; i++) {
    let t = performance.now();
    await store.record([record(i, Date.now())]);
    normal.push(performance.now() - t);
    const r = record(i, Date.now());
    t = performance.now();
    insertFull.run(r.cardUuid, r.serviceId, r.templateId, r.indicator, r.grade, r.episodeMaxGrade, '[]', r.configVersion, r.patientHash, r.recordedAt);
    full.push(performance.now() - t);
  }
  console.log(`audit write per call, NORMAL (as shipped): median ${ms(normal, 0.5)} ms, p90 ${ms(normal, 0.9)}, p99 ${ms(normal, 0.99)}`);
  console.log(`same insert with an fsync (FULL):         median ${ms(full, 0.5)} ms, p90 ${ms(full, 0.9)}, p99 ${ms(full, 0.99)}`);
  await store.close();
}

/** A server with or without the audit store, and a caller measuring each call. */
async function hookServer(withAudit: boolean): Promise<{ call: () => Promise<number>; close: () => Promise<void> }> {
  const db = openSqliteDatabase(join(dir, `calls-${withAudit}.sqlite`));
  const runtime = buildRuntime(DEFAULT_CONFIG);
  const audit: AuditStore | undefined = withAudit ? sqliteAuditStore(db) : undefined;
  const app = createApp({ runtime: () => runtime, logger: pino({ level: 'silent' }), feedbackStore: sqliteFeedbackStore(db), ...(audit === undefined ? {} : { auditStore: audit }) });
  const server = await listenOnLoopback(app);
  const body = readFileSync(new URL('../examples/requests/patient-view-grade-2.json', import.meta.url), 'utf8');
  return {
    call: async () => {
      const t = performance.now();
      const res = await fetch(`${server.baseUrl}/cds-services/crs-patient-view`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`status ${res.status}`);
      return performance.now() - t;
    },
    close: async () => {
      await server.close();
      db.close();
    },
  };
}

/** Both variants in alternating rounds of 250 calls (8 concurrent), so load from elsewhere hits both alike. */
async function hookCalls(): Promise<void> {
  const variants = [
    { name: 'without audit', server: await hookServer(false), times: [] as number[], seconds: 0 },
    { name: 'with audit   ', server: await hookServer(true), times: [] as number[], seconds: 0 },
  ];
  for (const v of variants) for (let i = 0; i < 200; i++) await v.server.call();
  for (let round = 0; round < 16; round++) {
    for (const v of round % 2 === 0 ? variants : [...variants].reverse()) {
      const started = performance.now();
      let next = 0;
      await Promise.all(
        Array.from({ length: 8 }, async () => {
          while (next++ < 250) v.times.push(await v.server.call());
        }),
      );
      v.seconds += (performance.now() - started) / 1000;
    }
  }
  for (const v of variants) {
    console.log(`patient-view over loopback, ${v.times.length} calls, 8 concurrent, ${v.name}: ${(v.times.length / v.seconds).toFixed(0)} req/s, p50 ${ms(v.times, 0.5)} ms, p95 ${ms(v.times, 0.95)} ms, p99 ${ms(v.times, 0.99)} ms`);
    await v.server.close();
  }
}

async function analyticsAtScale(): Promise<void> {
  const db = openSqliteDatabase(join(dir, 'analytics.sqlite'));
  const audit = sqliteAuditStore(db);
  const feedback = sqliteFeedbackStore(db);
  const start = Date.parse('2026-06-01T00:00:00Z');
  const batch: AuditRecord[] = [];
  for (let n = 0; n < 100_000; n++) {
    const r = record(n, start + n * 150_000);
    batch.push(r);
    if (batch.length === 1000) await audit.record(batch.splice(0));
    if (n % 5 < 3) {
      await feedback.save(r.serviceId, [{ card: r.cardUuid, outcome: n % 5 === 0 ? 'overridden' : 'accepted', ...(n % 5 === 0 ? { overrideReason: { reason: { code: 'clinical-judgement' } } } : { acceptedSuggestions: [{ id: r.suggestions[0]?.uuid as string }] }), outcomeTimestamp: new Date(start + n * 150_000 + 60_000).toISOString() }], new Date());
    }
  }
  const range = { from: new Date('2026-01-01T00:00:00Z'), to: new Date('2027-01-01T00:00:00Z') };
  for (let run = 0; run < 3; run++) {
    const before = process.memoryUsage().heapUsed;
    const t = performance.now();
    const a = await loadAnalytics(audit, range, DEFAULT_CONFIG);
    console.log(`analytics of ${a.totals.cards} cards (${a.timeToFeedback.count} with feedback): ${(performance.now() - t).toFixed(0)} ms, heap +${((process.memoryUsage().heapUsed - before) / 1e6).toFixed(1)} MB`);
  }
  await audit.close();
}

try {
  await auditWriteCost();
  await hookCalls();
  await analyticsAtScale();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
