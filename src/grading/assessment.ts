/**
 * The assessment of one monitored patient at one evaluation time: what grading decided and the
 * evidence behind it. Served as the response-level `crs-cds.assessment` extension (shared/contract.md)
 * and the only input of the recommendation layer. Plain JSON: no Dates, no undefined-valued keys
 * once serialised, no resources (ids and values only, never names or identifiers).
 */

/** Response-level extension key of the assessment (shared/contract.md). */
export const ASSESSMENT_EXTENSION = 'crs-cds.assessment';

/** ASTCT 2019 grades the service produces (grade 5 is never produced). */
export type Grade = 0 | 1 | 2 | 3 | 4;

export type OxygenTier = 'none' | 'low-flow' | 'high-flow' | 'positive-pressure';

/** H1/H2 column: none; H1 without vasopressor; one vasopressor (or vasopressin alone); ≥ 2 concurrent. */
export type HypotensionTier = 'none' | 'hypotension' | 'one-vasopressor' | 'multiple-vasopressors';

/** One datum that drove a criterion: enough for a physician to find it in the chart. */
export interface EvidenceItem {
  readonly resourceType: 'Observation' | 'MedicationAdministration' | 'Condition';
  readonly id?: string;
  /** Clinical time (ISO 8601): effective time, or administration start. */
  readonly time: string;
  /** What it is: 'temperature', 'sbp', 'map', 'spo2', 'o2-flow', 'fio2', 'o2-device', 'weight', or a concept key. */
  readonly kind: string;
  /** Normalised value (°C, mmHg, %, L/min, kg) when there is one. */
  readonly value?: number;
  readonly unit?: string;
  /** Human text: device or medication name as charted (never patient data). */
  readonly display?: string;
  /** O1: a device recognised neither by code nor by text (counted as at least low-flow). */
  readonly unrecognised?: true;
}

/** A datum the service ignored, and why (E1, E5, E6, E8, E2 with no clinical time, ...). */
export interface DataQualityNote {
  readonly resourceType: string;
  readonly id?: string;
  readonly code:
    | 'unknown-unit'
    | 'implausible-value'
    | 'missing-time'
    | 'unresolved-medication'
    /** E1: a temperature whose status never counts. */
    | 'status-not-counted'
    /** E8: a temperature-unit quantity under a code not on the body-temperature list. */
    | 'unlisted-temperature-code';
  /** The quantity as charted, e.g. value 52 unit 'Cel', or the unit text. */
  readonly value?: number;
  readonly unit?: string;
  readonly kind?: string;
  /** E1: the status as charted. */
  readonly status?: string;
  /** E8: the Observation code as `system|code`. */
  readonly observationCode?: string;
}

/** Something a physician should see that is not part of the grade. */
export interface Finding {
  /**
   * `low-spo2-without-oxygen` (O1), `not-attributable-without-fever` (grade table, grade 0 with
   * hypotension or oxygen need).
   */
  readonly code: 'low-spo2-without-oxygen' | 'not-attributable-without-fever';
  /** Absent when there is nothing to cite. */
  readonly evidence?: readonly EvidenceItem[];
}

/** Data the grade needed and did not have (G-I), or that a recommendation needs (T-D). */
export interface DataGap {
  /** `no-usable-temperature`: temperatures were charted in the window but none could be counted (C4). */
  readonly code: 'no-temperature' | 'no-usable-temperature' | 'no-weight';
}

/** T-S: one systemic corticosteroid administration of the exposure window. */
export interface CorticosteroidDose {
  /** Key of `codeLists.corticosteroids`. */
  readonly concept: string;
  readonly time: string;
  readonly id?: string;
  /** The dose as charted, in mg; absent when not charted in mass units. */
  readonly doseMg?: number;
  /** The dose in dexamethasone equivalents, mg; absent when the dose or its equivalence is unknown. */
  readonly dexamethasoneMg?: number;
  readonly display?: string;
}

/**
 * The assessment. It is served as is, so it follows the CDS Hooks JSON rule (contract revision 2):
 * no `null`, `""`, `[]` or `{}` anywhere; an indeterminate grade is `grade` omitted plus
 * `indeterminate: true`; empty lists are omitted.
 */
export interface Assessment {
  readonly scale: 'ASTCT-2019';
  /** Current grade in the lookback window; omitted when indeterminate (G-I). */
  readonly grade?: Grade;
  /** G-I: present (true) only when the grade is indeterminate. */
  readonly indeterminate?: true;
  /** G-M: highest grade over the episode; omitted when every window was indeterminate. */
  readonly episodeMaxGrade?: Grade;
  /** When the episode maximum was first reached (ISO). */
  readonly episodeMaxGradeAt?: string;
  readonly evaluatedAt: string;
  readonly lookbackHours: number;

  /** Why the patient is monitored (S1, S2) and the episode (S1-E). */
  readonly monitoring: {
    readonly basis: 'therapy' | 'condition';
    readonly episodeStart: string;
    /** S1: the most recent qualifying administration. */
    readonly indexTherapy?: {
      readonly concept: string;
      readonly category: 'car-t' | 't-cell-engager';
      readonly display: string;
      readonly start: string;
      readonly id?: string;
    };
    /** S1: whole 24 h periods since the index therapy start (day 0 = first 24 h). */
    readonly dayPlus?: number;
    /** S2: ids of the CRS Conditions that apply. */
    readonly conditionIds?: readonly string[];
  };

  /** F1, F2 */
  readonly fever: {
    /** F1: a temperature ≥ feverCelsius in the window. */
    readonly present: boolean;
    /** Highest usable temperature in the window. */
    readonly max?: EvidenceItem;
    /** C5: the latest usable temperature in the window, when it is not the highest. */
    readonly latest?: EvidenceItem;
    /** First fever of the episode (T1). */
    readonly firstFeverAt?: string;
    /** F2: fever is not required now. */
    readonly masked: boolean;
    /** F2: the administration that established the current masking. */
    readonly maskedBy?: EvidenceItem;
    /** F2: the last masking of the episode ended before the evaluation time (fever is required again). */
    readonly maskingEnded?: {
      readonly at: string;
      /** (a) a resolution window, (b) maskingMaxHours after the last masking agent. */
      readonly by: 'resolution' | 'max-hours';
      readonly agent: EvidenceItem;
    };
  };

  /** H1, H1-P, H2 */
  readonly hypotension: {
    readonly tier: HypotensionTier;
    readonly lowestSbp?: EvidenceItem;
    readonly lowestMap?: EvidenceItem;
    /** H1-P: the age-based SBP threshold used at the evaluation time (absent: sbpBelow). */
    readonly sbpThreshold?: { readonly mmHg: number; readonly ageYears: number; readonly ageMonths?: number };
    /** Vasopressor administrations active in the window. */
    readonly vasopressors?: readonly EvidenceItem[];
    /** H2: most distinct non-vasopressin ingredients active at one moment. */
    readonly maxConcurrentVasopressors: number;
    /** E3-R: the concurrency rests on point records whose activity was inferred from charted rates. */
    readonly concurrencyInferredFromRates?: true;
  };

  /** O1 */
  readonly oxygen: {
    readonly tier: OxygenTier;
    /** The devices, flows or FiO2 that set the tier. */
    readonly evidence?: readonly EvidenceItem[];
    readonly lowestSpo2?: EvidenceItem;
    /** The latest room air (device or flow 0) charted in the window, when no support was. */
    readonly roomAir?: EvidenceItem;
    /** O1: devices in the window recognised neither by code nor by text (counted as at least low-flow). */
    readonly unrecognisedDevices?: readonly EvidenceItem[];
  };

  /** T-L inputs: counted tocilizumab administrations (E2), any time up to the evaluation. */
  readonly tocilizumab: {
    /** Every dose start, oldest first. */
    readonly doseTimes?: readonly string[];
    /** T-L: the doses whose administration is on hold (a started, paused infusion: counted, not "given"). */
    readonly onHoldDoseTimes?: readonly string[];
    readonly dosesLast24h: number;
    readonly dosesInEpisode: number;
    readonly lastDoseAt?: string;
  };

  /** T-S inputs: the systemic corticosteroids of the exposure window (absent when none). */
  readonly corticosteroids?: {
    readonly windowHours: number;
    /** Sum of the known doses in dexamethasone equivalents, mg. */
    readonly dexamethasoneMg: number;
    /** Some dose (or its equivalence) is unknown. */
    readonly unknownDose?: true;
    /** Newest first. */
    readonly doses: readonly CorticosteroidDose[];
  };

  /** T-D input: latest usable body weight within weightMaxAgeDays. */
  readonly weight?: { readonly kg: number; readonly at: string; readonly id?: string };

  readonly findings?: readonly Finding[];
  readonly dataGaps?: readonly DataGap[];
  readonly dataQuality?: readonly DataQualityNote[];
}
