/**
 * The replay's output, written as it goes (bounded memory): human-readable text by default, or one JSON
 * document (`--json`) for tooling. Patients appear only by their FHIR Patient id, never by name or any
 * other identifier; only changed patients are listed.
 */
import { isoOf } from '../evidence/fhir-time.js';
import type { Burden, Change, DiffField, PatientReplay } from './replay-patient.js';
import type { ReplaySummary } from './replay-summary.js';

/** What the report says about the run before any patient. */
export interface ReplayHeader {
  readonly cohort: string;
  readonly format: 'bundle' | 'ndjson';
  readonly patients: number;
  /** The baseline file, or undefined for the effective default configuration. */
  readonly baselineFile?: string;
  readonly baselineVersion: string;
  readonly proposedFile: string;
  readonly proposedVersion: string;
}

export interface ReplayReport {
  start(header: ReplayHeader): void;
  patient(replay: PatientReplay): void;
  end(summary: ReplaySummary): void;
}

type Write = (text: string) => void;

const FIELD_LABEL: Readonly<Record<DiffField, string>> = {
  grade: 'grade',
  episodeMax: 'episode maximum',
  orders: 'suggested orders',
  card: 'card',
};

/** `2026-11-03T04:00Z` */
const hour = (ms: number): string => `${isoOf(ms).slice(0, 16)}Z`;

function span(c: Change): string {
  const hours = Math.round((c.to - c.from) / 3_600_000) + 1;
  return c.from === c.to ? `${hour(c.from)} (1 h)` : `${hour(c.from)} to ${hour(c.to)} (${hours} h)`;
}

function burdenRows(b: Burden, p: Burden): string[] {
  const row = (label: string, key: keyof Burden): string => {
    const delta = p[key] - b[key];
    return `  ${label.padEnd(10)}${String(b[key]).padStart(10)}${String(p[key]).padStart(10)}${`${delta > 0 ? '+' : ''}${delta}`.padStart(10)}`;
  };
  return [`  ${''.padEnd(10)}${'baseline'.padStart(10)}${'proposed'.padStart(10)}${'change'.padStart(10)}`, row('cards', 'cards'), row('critical', 'critical'), row('warning', 'warning'), row('info', 'info')];
}

/**
 * The text report.
 * @param write - where to write
 */
export function textReport(write: Write): ReplayReport {
  let patients = 0;
  return {
    start(h) {
      patients = h.patients;
      write(`crs-cds replay of ${h.cohort} (${h.format === 'ndjson' ? 'Bulk Data NDJSON' : 'Bundles'}, ${h.patients} patient${h.patients === 1 ? '' : 's'})\n`);
      write(`baseline: ${h.baselineFile ?? 'the effective default configuration (no --baseline given)'} [configuration version ${h.baselineVersion}]\n`);
      write(`proposed: ${h.proposedFile} [configuration version ${h.proposedVersion}]\n\n`);
    },
    patient(r) {
      if (r.changes.length === 0) return;
      write(`Patient/${r.patientId}: ${r.changes.length} change${r.changes.length === 1 ? '' : 's'}\n`);
      for (const c of r.changes) write(`  ${span(c).padEnd(46)} ${FIELD_LABEL[c.field].padEnd(17)} ${c.baseline} -> ${c.proposed}\n`);
    },
    end(s) {
      const of = `of ${patients}`;
      write(`${s.patientsChanged.any === 0 ? 'No patient changes.\n' : ''}\nSummary: ${s.patients} patients, ${s.hours} hours evaluated, ${s.episodeHours} of them in an episode\n`);
      write(`  patients whose current grade changes:      ${s.patientsChanged.grade} ${of}\n`);
      write(`  patients whose episode maximum changes:    ${s.patientsChanged.episodeMax} ${of}\n`);
      write(`  patients whose suggested orders change:    ${s.patientsChanged.orders} ${of}\n`);
      write(`  patients whose card changes:               ${s.patientsChanged.card} ${of}\n`);
      write(`  patients with any change:                  ${s.patientsChanged.any} ${of}\n`);
      write('Alert burden: cards crs-patient-view would show if called at every hour of the episode\n');
      write(`${burdenRows(s.baseline, s.proposed).join('\n')}\n`);
    },
  };
}

/**
 * The JSON report: one document, `{ cohort, baseline, proposed, patients: [...changed], summary }`.
 * @param write - where to write
 */
export function jsonReport(write: Write): ReplayReport {
  let first = true;
  return {
    start(h) {
      const baseline = { ...(h.baselineFile === undefined ? { default: true } : { file: h.baselineFile }), configVersion: h.baselineVersion };
      write(`{"cohort":${JSON.stringify({ directory: h.cohort, format: h.format, patients: h.patients })},`);
      write(`"baseline":${JSON.stringify(baseline)},"proposed":${JSON.stringify({ file: h.proposedFile, configVersion: h.proposedVersion })},\n"patients":[`);
    },
    patient(r) {
      if (r.changes.length === 0) return;
      const changes = r.changes.map((c) => ({ from: isoOf(c.from), to: isoOf(c.to), field: c.field, baseline: c.baseline, proposed: c.proposed }));
      write(`${first ? '\n' : ',\n'}${JSON.stringify({ patientId: r.patientId, changes })}`);
      first = false;
    },
    end(s) {
      write(`\n],\n"summary":${JSON.stringify(s)}}\n`);
    },
  };
}
