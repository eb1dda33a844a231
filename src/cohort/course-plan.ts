/**
 * The clinical course of one synthetic CAR-T patient, as times and values before any FHIR is written:
 * infusion (day 0), fever onset on day +1 to +5, and by the intended ASTCT grade (crs-rules.md section 3
 * grade table) hypotension (fluids: grade 2; one vasopressor: 3; two concurrent, vasopressin aside: 4)
 * and/or oxygen (nasal cannula ≤ 6 L/min: 2; high-flow nasal cannula: 3; BiPAP: 4), treated with
 * tocilizumab (T-D) and corticosteroids by grade, then recovery. Values stay clear of every threshold
 * so the intended grade is what the engine finds, under the current rules and revision 2 alike (F2:
 * masking agents only after a documented fever; H1-P: children's low pressures below the age limit too;
 * no oxygen or hypotension after a quiet day following a masking agent).
 */
import { itemSeed, seededRandom, type Random } from './random.js';

export const HOUR_MS = 60 * 60 * 1000;

export type Grade = 0 | 1 | 2 | 3 | 4;
/** Which ASTCT column carries the grade: pressure, oxygen, or both (the other one a grade lower). */
export type CrsRoute = 'hypotension' | 'hypoxia' | 'both';
export type OxygenTier = 'low-flow' | 'high-flow' | 'positive-pressure';
export type VasopressorName = 'norepinephrine' | 'epinephrine' | 'phenylephrine' | 'vasopressin';

export interface Interval {
  readonly start: number;
  readonly end: number;
}

export interface CoursePlan {
  readonly patientId: string;
  readonly intendedGrade: Grade;
  readonly route?: CrsRoute;
  readonly gender: 'female' | 'male';
  readonly birthDate: string;
  readonly ageYears: number;
  readonly weightKg: number;
  /** A CAR-T product of crs-rules.md 6.4 (matched by name). */
  readonly product: string;
  readonly infusionAt: number;
  readonly courseEnd: number;
  /** When vitals are charted (ms), gaps left out. */
  readonly vitalsAt: readonly number[];
  readonly fever?: Interval;
  /** Low systolic pressures (fluid-responsive, or until a vasopressor starts). */
  readonly hypotension?: Interval;
  readonly vasopressors: readonly (Interval & { readonly drug: VasopressorName })[];
  readonly oxygen: readonly (Interval & { readonly tier: OxygenTier; readonly flowLpm?: number })[];
  readonly tocilizumabAt: readonly number[];
  readonly tocilizumabMg: number;
  readonly steroids: readonly { readonly drug: 'dexamethasone' | 'methylprednisolone'; readonly at: number; readonly doseMg: number }[];
  readonly acetaminophenAt: readonly number[];
  readonly acetaminophenMg: number;
  /** Periods with no vitals charted. */
  readonly gaps: readonly Interval[];
}

export interface CohortOptions {
  readonly seed: number;
  /** Day 0 of the cohort; infusions fall on its first 14 days. */
  readonly start: Date;
  readonly days: number;
  /** Chart vitals at this fixed interval, hours; absent = every 1–4 h by phase (4 h baseline, 2 h febrile, 1 h at the peak). */
  readonly vitalsEveryHours?: number;
}

const ADULT_PRODUCTS = [
  'axicabtagene ciloleucel (Yescarta)',
  'tisagenlecleucel (Kymriah)',
  'lisocabtagene maraleucel (Breyanzi)',
  'idecabtagene vicleucel (Abecma)',
  'ciltacabtagene autoleucel (Carvykti)',
  'brexucabtagene autoleucel (Tecartus)',
];
/** Grade mix per block of 20 patients (any CRS about 80 %, grade ≥ 3 about 25 %, as in CAR-T trials). */
const GRADE_BLOCK: readonly Grade[] = [0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 3, 3, 3, 4, 4];

/** Grades of block `b`: its first five are 0–4 in some order, so even a small cohort has every grade. */
function blockGrades(seed: number, block: number): Grade[] {
  const random = seededRandom(itemSeed(seed ^ 0x5bd1e995, block));
  const firstFive = random.shuffle([0, 1, 2, 3, 4] as Grade[]);
  const rest = [...GRADE_BLOCK];
  for (const g of firstFive) rest.splice(rest.indexOf(g), 1);
  return [...firstFive, ...random.shuffle(rest)];
}

/** The intended grade of patient `index`. */
export function intendedGrade(seed: number, index: number): Grade {
  return blockGrades(seed, Math.floor(index / GRADE_BLOCK.length))[index % GRADE_BLOCK.length] as Grade;
}

/** Vitals times from 6 h before infusion to the end of the course, by phase, without the gaps. */
function vitalsSchedule(from: number, to: number, everyHours: (t: number) => number, gaps: readonly Interval[]): number[] {
  const times: number[] = [];
  for (let t = from; t <= to; t += everyHours(t) * HOUR_MS) {
    if (!gaps.some((g) => t >= g.start && t < g.end)) times.push(t);
  }
  return times;
}

const within = (t: number, i: Interval | undefined): boolean => i !== undefined && t >= i.start && t < i.end;

/** Oxygen phases for a grade reached through the oxygen column, with weaning steps after the peak. */
function oxygenPhases(r: Random, grade: Grade, peak: Interval): CoursePlan['oxygen'] {
  const low = (start: number, end: number) => ({ tier: 'low-flow' as const, start, end, flowLpm: r.int(2, 4) });
  const high = (start: number, end: number) => ({ tier: 'high-flow' as const, start, end, flowLpm: r.int(30, 50) });
  const wean = 12 * HOUR_MS;
  if (grade === 2) return [low(peak.start, peak.end)];
  if (grade === 3) return [low(peak.start, peak.start + 3 * HOUR_MS), high(peak.start + 3 * HOUR_MS, peak.end), low(peak.end, peak.end + wean)];
  return [
    high(peak.start, peak.start + 3 * HOUR_MS),
    { tier: 'positive-pressure', start: peak.start + 3 * HOUR_MS, end: peak.end },
    high(peak.end, peak.end + wean),
    low(peak.end + wean, peak.end + 2 * wean),
  ];
}

/** Hypotension for a grade reached through the pressure column: low pressures, then vasopressors (grades 3–4). */
function pressurePhases(r: Random, grade: Grade, peak: Interval): Pick<CoursePlan, 'hypotension' | 'vasopressors'> {
  if (grade === 2) return { hypotension: peak, vasopressors: [] };
  const norepinephrineStart = peak.start + r.between(1.5, 3) * HOUR_MS;
  const vasopressors: (Interval & { drug: VasopressorName })[] = [{ drug: 'norepinephrine', start: norepinephrineStart, end: peak.end }];
  if (grade === 4) {
    const start = norepinephrineStart + r.between(1, 4) * HOUR_MS;
    vasopressors.push({ drug: r.pick(['epinephrine', 'phenylephrine'] as const), start, end: Math.min(peak.end, start + r.between(8, 24) * HOUR_MS) });
  }
  // Vasopressin never counts toward "multiple" (H2): added to some grade-3 and grade-4 courses for realism.
  if (r.chance(0.3)) vasopressors.push({ drug: 'vasopressin', start: norepinephrineStart + HOUR_MS, end: peak.end - HOUR_MS });
  return { hypotension: { start: peak.start, end: norepinephrineStart }, vasopressors };
}

function birthDateFor(r: Random, infusionAt: number, ageYears: number): string {
  const born = new Date(infusionAt);
  born.setUTCFullYear(born.getUTCFullYear() - ageYears);
  born.setUTCDate(born.getUTCDate() - r.int(1, 360));
  return born.toISOString().slice(0, 10);
}

/**
 * The plan of patient `index`: the same for a seed whatever the cohort size or format.
 * @param options - seed, start, course length and vitals interval
 * @param index - 0-based patient number
 */
export function planCourse(options: CohortOptions, index: number): CoursePlan {
  const r = seededRandom(itemSeed(options.seed, index));
  const grade = intendedGrade(options.seed, index);
  const child = r.chance(0.1);
  const ageYears = child ? r.int(3, 17) : r.int(22, 78);
  const weightKg = Math.round((child ? 12 + ageYears * r.between(2.5, 3.5) : r.between(50, 110)) * 10) / 10;
  const infusionAt = options.start.getTime() + r.int(0, 13) * 24 * HOUR_MS + r.int(9, 15) * HOUR_MS;
  const courseEnd = infusionAt + options.days * 24 * HOUR_MS;
  const onset = infusionAt + r.between(24, 140) * HOUR_MS; // day +1 to +5
  const peakStart = onset + r.between(4, 30) * HOUR_MS;
  const peak = { start: peakStart, end: peakStart + r.between(grade === 2 ? 8 : 12, grade === 4 ? 60 : 36) * HOUR_MS };
  const route: CrsRoute | undefined = grade >= 2 ? r.pick(['hypotension', 'hypoxia', 'both'] as const) : undefined;
  const busy: Interval | undefined = grade === 0 ? undefined : { start: onset - 4 * HOUR_MS, end: (grade === 1 ? onset + 80 * HOUR_MS : peak.end + 40 * HOUR_MS) };

  // Gaps: a third of the patients miss 4–10 h of charting once or twice, never around the CRS events.
  const gaps: Interval[] = [];
  if (r.chance(0.35)) {
    for (let n = r.int(1, 2); n > 0; n--) {
      const length = r.between(4, 10) * HOUR_MS;
      const start = infusionAt + r.between(6, options.days * 24 - 12) * HOUR_MS;
      const gap = { start, end: start + length };
      if (busy === undefined || gap.end < busy.start || gap.start > busy.end) gaps.push(gap);
    }
  }
  const fixed = options.vitalsEveryHours;
  const vitalsAt = vitalsSchedule(
    infusionAt - 6 * HOUR_MS,
    courseEnd,
    (t) => fixed ?? (within(t, { start: peak.start - 2 * HOUR_MS, end: peak.end + 6 * HOUR_MS }) && grade >= 2 ? 1 : t >= onset && grade >= 1 && t < (busy?.end ?? 0) ? 2 : 4),
    gaps,
  );
  // Events start at a charted time, so the fever is documented before any masking agent (F2).
  const charted = (t: number): number => vitalsAt.find((v) => v >= t) ?? t;
  const feverStart = charted(onset);

  const tocilizumabAt: number[] = [];
  const steroids: CoursePlan['steroids'][number][] = [];
  let pressure: Pick<CoursePlan, 'hypotension' | 'vasopressors'> = { vasopressors: [] };
  let oxygen: CoursePlan['oxygen'] = [];
  let feverEnd = feverStart + r.between(24, 72) * HOUR_MS;
  if (grade >= 2 && route !== undefined) {
    const start = charted(peak.start);
    const main = { start, end: Math.max(peak.end, start + 6 * HOUR_MS) };
    const other = Math.max(2, grade - 1) as Grade;
    const pressureGrade = route === 'hypoxia' ? undefined : route === 'hypotension' ? grade : r.chance(0.5) ? grade : other;
    const oxygenGrade = route === 'hypotension' ? undefined : route === 'hypoxia' ? grade : pressureGrade === grade ? other : grade;
    if (pressureGrade !== undefined) pressure = pressurePhases(r, pressureGrade, main);
    if (oxygenGrade !== undefined) oxygen = oxygenPhases(r, oxygenGrade, main);
    const first = main.start + r.between(1, 3) * HOUR_MS;
    tocilizumabAt.push(first);
    if (grade >= 3 || r.chance(0.4)) tocilizumabAt.push(first + r.between(8, 12) * HOUR_MS);
    feverEnd = Math.max(first + r.between(2, 8) * HOUR_MS, main.start + 2 * HOUR_MS);
    const steroidStart = main.start + r.between(2, 4) * HOUR_MS;
    if (grade === 3) {
      const doses = Math.min(8, Math.ceil((main.end - main.start) / (6 * HOUR_MS)) + 2);
      for (let i = 0; i < doses; i++) steroids.push({ drug: 'dexamethasone', at: steroidStart + i * 6 * HOUR_MS, doseMg: 10 });
    } else if (grade === 4) {
      for (let i = 0; i < 3; i++) steroids.push({ drug: 'methylprednisolone', at: steroidStart + i * 24 * HOUR_MS, doseMg: 1000 });
    } else if (tocilizumabAt.length > 1 && r.chance(0.5)) {
      // T2: refractory grade 2 after two doses.
      const after = (tocilizumabAt[1] as number) + HOUR_MS;
      steroids.push({ drug: 'dexamethasone', at: after, doseMg: 10 }, { drug: 'dexamethasone', at: after + 12 * HOUR_MS, doseMg: 10 });
    }
  }
  const acetaminophenAt: number[] = [];
  if (grade >= 1) {
    for (let t = feverStart + 0.5 * HOUR_MS; t < feverEnd && acetaminophenAt.length < 4; t += 6 * HOUR_MS) acetaminophenAt.push(t);
  }
  const tocilizumabMg = Math.min(800, Math.floor(weightKg * (weightKg < 30 ? 12 : 8)));
  return {
    patientId: `cohort-${options.seed}-${String(index + 1).padStart(5, '0')}`,
    intendedGrade: grade,
    ...(route === undefined ? {} : { route }),
    gender: r.chance(0.5) ? 'female' : 'male',
    birthDate: birthDateFor(r, infusionAt, ageYears),
    ageYears,
    weightKg,
    product: child ? 'tisagenlecleucel (Kymriah)' : r.pick(ADULT_PRODUCTS),
    infusionAt,
    courseEnd,
    vitalsAt,
    ...(grade === 0 ? {} : { fever: { start: feverStart, end: feverEnd } }),
    ...pressure,
    oxygen,
    tocilizumabAt,
    tocilizumabMg,
    steroids,
    acetaminophenAt,
    acetaminophenMg: child ? Math.min(650, Math.round(weightKg * 15)) : 650,
    gaps,
  };
}
