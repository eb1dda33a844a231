/**
 * One patient of a what-if replay: every hour of its grid (hour-grid.ts) assessed under the baseline and
 * the proposed configuration (one extraction per configuration, assessTrajectory), compared field by
 * field, consecutive hours with the same difference merged into one change, and the cards each
 * configuration would have shown counted (the alert burden).
 */
import type { Resource } from 'fhir/r4.js';
import type { Config } from '../config/types.js';
import { assessTrajectory, type SharedVitals } from '../evidence/assess-trajectory.js';
import { HOUR_MS } from '../evidence/fhir-time.js';
import type { Indicator } from '../recommend/card-types.js';
import type { CardTemplates } from '../recommend/templates.js';
import { hourGrid } from './hour-grid.js';
import { hourOutcome, type HourOutcome } from './hour-outcome.js';

/** A configuration as the replay uses it. */
export interface ReplayConfig {
  readonly config: Config;
  readonly templates: CardTemplates;
  /** `crs-patient-view` is enabled (else it shows no card). */
  readonly showsCards: boolean;
}

/** The fields compared, in report order. */
export const DIFF_FIELDS = ['grade', 'episodeMax', 'orders', 'card'] as const;
export type DiffField = (typeof DIFF_FIELDS)[number];

/** One difference over consecutive hours. */
export interface Change {
  /** First and last hour, ms. */
  readonly from: number;
  readonly to: number;
  readonly field: DiffField;
  readonly baseline: string;
  readonly proposed: string;
}

/** Cards shown if `crs-patient-view` were called at every hour: in total and by indicator. */
export type Burden = Readonly<Record<'cards' | Indicator, number>>;

export interface PatientReplay {
  readonly patientId: string;
  /** Hours evaluated. */
  readonly hours: number;
  /** Hours at which either configuration monitors the patient. */
  readonly episodeHours: number;
  readonly changes: readonly Change[];
  readonly baseline: Burden;
  readonly proposed: Burden;
}

/** Counts a configuration's cards hour by hour. */
function burdenCounter(): { add(outcome: HourOutcome): void; readonly total: Burden } {
  const total = { cards: 0, info: 0, warning: 0, critical: 0 };
  return {
    add(outcome) {
      if (outcome.indicator === undefined) return;
      total.cards += 1;
      total[outcome.indicator] += 1;
    },
    total,
  };
}

/**
 * @param patientId - the FHIR Patient id
 * @param resources - the patient's resources
 * @param baseline - the configuration in force
 * @param proposed - the proposed one
 */
export function replayPatient(patientId: string, resources: readonly Resource[], baseline: ReplayConfig, proposed: ReplayConfig): PatientReplay {
  const hours = hourGrid(resources);
  const vitals: SharedVitals = new Map();
  const before = assessTrajectory(resources, hours, baseline.config, vitals);
  const after = assessTrajectory(resources, hours, proposed.config, vitals);
  const burden = { baseline: burdenCounter(), proposed: burdenCounter() };
  const changes: Change[] = [];
  /** The change each field is extending, if it was different at the previous hour. */
  const open = new Map<DiffField, { -readonly [K in keyof Change]: Change[K] }>();
  let episodeHours = 0;
  const orders = { baseline: new Map<string, string>(), proposed: new Map<string, string>() };
  for (const at of hours) {
    const a = before.next().value;
    const b = after.next().value;
    if (a === undefined || b === undefined) break;
    const base = hourOutcome(a.assessment, patientId, baseline.config, baseline.templates, baseline.showsCards, orders.baseline);
    const prop = hourOutcome(b.assessment, patientId, proposed.config, proposed.templates, proposed.showsCards, orders.proposed);
    if (base.monitored || prop.monitored) episodeHours += 1;
    burden.baseline.add(base);
    burden.proposed.add(prop);
    for (const field of DIFF_FIELDS) {
      const current = open.get(field);
      if (base[field] === prop[field]) {
        open.delete(field);
      } else if (current !== undefined && current.baseline === base[field] && current.proposed === prop[field] && current.to === at - HOUR_MS) {
        current.to = at;
      } else {
        const change = { from: at, to: at, field, baseline: base[field], proposed: prop[field] };
        changes.push(change);
        open.set(field, change);
      }
    }
  }
  changes.sort((x, y) => x.from - y.from || DIFF_FIELDS.indexOf(x.field) - DIFF_FIELDS.indexOf(y.field));
  return { patientId, hours: hours.length, episodeHours, changes, baseline: burden.baseline.total, proposed: burden.proposed.total };
}
