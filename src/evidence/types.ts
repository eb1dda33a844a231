/**
 * Facts extracted from FHIR resources, before grading. Times are epoch milliseconds; every fact keeps the
 * id of its resource so the assessment can cite it (never names or identifiers of the patient).
 */
import type { DataQualityNote, OxygenTier } from '../grading/assessment.js';

/** An Observation value over the closed range [start, end] (a point when start = end). */
export interface Reading {
  readonly id?: string;
  readonly start: number;
  readonly end: number;
  /** Normalised value (°C, mmHg, L/min, kg, %). */
  readonly value: number;
}

/** A documented oxygen device (O1). */
export interface DeviceReading {
  readonly id?: string;
  readonly start: number;
  readonly end: number;
  /** 'none' for room air; 'low-flow' for an unrecognised device (O1: at least low-flow). */
  readonly tier: OxygenTier;
  /** O1: recognised neither by code nor by text. */
  readonly unrecognised?: true;
  readonly display?: string;
}

/** A MedicationAdministration matched to a concept, active over the half-open [start, end) (E3). */
export interface MedicationEvent {
  readonly id?: string;
  /** Concept key in its code list (`norepinephrine`, `tocilizumab`, ...). */
  readonly concept: string;
  /** Administration start, ms. */
  readonly start: number;
  /** Exclusive end of activity, ms; Infinity while running. */
  readonly end: number;
  readonly display?: string;
  /** E3-R: the activity of a point record was inferred from its charted rate. */
  readonly rateInferred?: true;
  /** T-L: the administration is on hold (a started, paused infusion). */
  readonly onHold?: true;
  /** The dose as charted, mg (corticosteroids, T-S). */
  readonly doseMg?: number;
}

/** A data-quality note with the clinical time it concerns, so notes outside the window can be dropped. */
export interface TimedNote {
  readonly note: DataQualityNote;
  /** undefined for notes about missing times. */
  readonly at?: number;
}

/** The graded vital signs (F1, H1, O1): the shape shared by the record, the episode and a window. */
export interface GradedReadings {
  readonly temperatures: readonly Reading[];
  readonly sbp: readonly Reading[];
  readonly map: readonly Reading[];
  readonly spo2: readonly Reading[];
  readonly flows: readonly Reading[];
  /** FiO2, %. */
  readonly fio2: readonly Reading[];
  readonly devices: readonly DeviceReading[];
}

/** Vital-sign facts (F1, H1, O1 flows, FiO2 and SpO2, T-D weight). */
export interface VitalsFacts extends GradedReadings {
  readonly weights: readonly Reading[];
  /** Temperatures charted but ignored (E1, E5, E6, E8), by time: tells G-I "no countable" from "none" (C4). */
  readonly ignoredTemperatureTimes: readonly number[];
  readonly notes: readonly TimedNote[];
}
