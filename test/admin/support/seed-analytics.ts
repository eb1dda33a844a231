/**
 * Eight weeks of audited cards with feedback, seeded (no randomness between runs): what an informatics
 * lead would see after a quarter's pilot. Two configuration versions (a change went live on
 * 2026-11-02), several templates and grades, tocilizumab and steroid suggestions, override reasons,
 * feedback after seconds to a day, and feedback for cards the store never saw.
 */
import type { AuditRecord, AuditStore, AuditSuggestion } from '../../../src/storage/audit-store.js';
import type { FeedbackStore } from '../../../src/storage/feedback-store.js';
import { seededRandom } from '../../../src/cohort/random.js';

const TEMPLATES = [
  { id: 'crs-grade-1', grade: 1, indicator: 'info', drugs: [] },
  { id: 'crs-grade-2', grade: 2, indicator: 'warning', drugs: ['tocilizumab'] },
  { id: 'crs-grade-3', grade: 3, indicator: 'critical', drugs: ['tocilizumab', 'corticosteroid'] },
  { id: 'crs-grade-4', grade: 4, indicator: 'critical', drugs: ['tocilizumab', 'corticosteroid'] },
  { id: 'crs-data-incomplete', grade: undefined, indicator: 'info', drugs: [] },
  { id: 'crs-os-dose', grade: 2, indicator: 'warning', drugs: ['tocilizumab'] },
  { id: 'crs-os-not-indicated', grade: 1, indicator: 'info', drugs: [] },
] as const;
const REASONS = ['alternative-cause', 'clinical-judgement', 'already-treated', 'goals-of-care'];

const uuid = (n: number, kind: number): string => `${kind.toString(16).padStart(8, '0')}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

/**
 * @param stores - the audit and feedback stores to fill
 * @param cards - how many cards (default 320)
 * @returns the number of cards written
 */
export async function seedAnalytics(stores: { audit: AuditStore; feedback: FeedbackStore }, cards = 320): Promise<number> {
  const r = seededRandom(20261130);
  const start = Date.UTC(2026, 9, 5, 6); // Monday 2026-10-05
  const span = 8 * 7 * 24 * 3600 * 1000;
  for (let n = 1; n <= cards; n++) {
    const at = start + Math.floor((n / cards) * span) + r.int(0, 3600) * 1000;
    const t = r.pick(TEMPLATES);
    const suggestions: AuditSuggestion[] = t.drugs.map((drug, k) => ({ uuid: uuid(n, 0x5000 + k), label: `Order ${drug}`, drug }));
    const record: AuditRecord = {
      cardUuid: uuid(n, 0xc0de),
      serviceId: t.id.startsWith('crs-os-') ? 'crs-order-select' : 'crs-patient-view',
      templateId: t.id,
      indicator: t.indicator,
      ...(t.grade === undefined ? {} : { grade: t.grade, episodeMaxGrade: t.grade }),
      suggestions,
      configVersion: at < Date.UTC(2026, 10, 2) ? '3f9a1c0e7b2d4a65' : 'b81d6e2f09c4a337',
      patientHash: `p${r.int(1, 60)}`.padEnd(16, '0'),
      recordedAt: new Date(at).toISOString(),
    };
    await stores.audit.record([record]);
    const roll = r.next();
    const delay = r.pick([20, 90, 400, 1500, 5000, 30000, 100000]) * 1000;
    const outcomeTimestamp = new Date(at + delay).toISOString();
    if (roll < 0.55) {
      const accepted = suggestions.filter(() => r.chance(0.7)).map((s) => ({ id: s.uuid }));
      await stores.feedback.save(record.serviceId, [{ card: record.cardUuid, outcome: 'accepted', ...(accepted.length > 0 ? { acceptedSuggestions: accepted } : {}), outcomeTimestamp }], new Date(at + delay));
    } else if (roll < 0.8) {
      const code = r.pick(REASONS);
      await stores.feedback.save(record.serviceId, [{ card: record.cardUuid, outcome: 'overridden', overrideReason: { reason: { code, system: 'https://crs-cds.example.org/override-reason' } }, outcomeTimestamp }], new Date(at + delay));
    }
  }
  await stores.feedback.save('crs-patient-view', [{ card: uuid(1, 0xdead), outcome: 'overridden', outcomeTimestamp: '2026-11-10T10:00:00Z' }], new Date('2026-11-10T10:00:00Z'));
  return cards;
}
