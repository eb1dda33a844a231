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
  /** What it is: 'temperature', 'sbp', 'map', 'spo2', 'o2-flow', 'o2-device', 'weight', or a concept key. */
  readonly kind: string;
  /** Normalised value (°C, mmHg, %, L/min, kg) when there is one. */
  readonly value?: number;
  readonly unit?: string;
  /** Human text: device or medication name as charted (never patient data). */
  readonly display?: string;
}

/** A datum the service ignored, and why (E5, E6, E1/E2 with no clinical time, ...). */
export interface DataQualityNote {
  readonly resourceType: string;
  readonly id?: string;
  readonly code: 'unknown-unit' | 'implausible-value' | 'missing-time' | 'unresolved-medication';
  /** The quantity as charted, e.g. value 52 unit 'Cel', or the unit text. */
  readonly value?: number;
  readonly unit?: string;
  readonly kind?: string;
}

/** Something a physician should see that is not part of the grade. */
export interface Finding {
  /**
   * `low-spo2-without-oxygen` (O1), `not-attributable-without-fever` (grade table, grade 0 with
   * hypotension or oxygen need).
   */
  readonly code: 'low-spo2-without-oxygen' | 'not-attributable-without-fever';
  readonly evidence: readonly EvidenceItem[];
}

/** Data the grade needed and did not have (G-I), or that a recommendation needs (T-D). */
export interface DataGap {
  readonly code: 'no-temperature' | 'no-usable-temperature' | 'no-weight';
}

export interface Assessment {
  readonly scale: 'ASTCT-2019';
  /** Current grade in the lookback window, `null` when indeterminate (G-I). */
  readonly grade: Grade | null;
  /** G-M: highest grade over the episode, `null` when every window was indeterminate. */
  readonly episodeMaxGrade: Grade | null;
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
    /** First fever of the episode (T1). */
    readonly firstFeverAt?: string;
    /** F2: fever is not required. */
    readonly masked: boolean;
    /** F2: the administration that established masking. */
    readonly maskedBy?: EvidenceItem;
  };

  /** H1, H2 */
  readonly hypotension: {
    readonly tier: HypotensionTier;
    readonly lowestSbp?: EvidenceItem;
    readonly lowestMap?: EvidenceItem;
    /** Vasopressor administrations active in the window. */
    readonly vasopressors: readonly EvidenceItem[];
    /** H2: most distinct non-vasopressin ingredients active at one moment. */
    readonly maxConcurrentVasopressors: number;
  };

  /** O1 */
  readonly oxygen: {
    readonly tier: OxygenTier;
    /** The devices or flows that set the tier. */
    readonly evidence: readonly EvidenceItem[];
    readonly lowestSpo2?: EvidenceItem;
    /** O1: devices in the window whose code and text were both unrecognised (absent when none). */
    readonly unrecognisedDevices?: readonly EvidenceItem[];
  };

  /** T-L inputs: every counted tocilizumab administration start (E2), oldest first, any time. */
  readonly tocilizumab: {
    readonly doseTimes: readonly string[];
    readonly dosesLast24h: number;
    readonly dosesInEpisode: number;
    readonly lastDoseAt?: string;
  };

  /** T-S inputs: latest administration start per corticosteroid concept key. */
  readonly corticosteroidLastDose: Readonly<Record<string, string>>;

  /** T-D input: latest usable body weight within weightMaxAgeDays. */
  readonly weight?: { readonly kg: number; readonly at: string; readonly id?: string };

  readonly findings: readonly Finding[];
  readonly dataGaps: readonly DataGap[];
  readonly dataQuality: readonly DataQualityNote[];
}
