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

/** A documented oxygen device (O1); tier undefined when neither its code nor its text is recognised. */
export interface DeviceReading {
  readonly id?: string;
  readonly start: number;
  readonly end: number;
  /** 'none' for room air. */
  readonly tier: OxygenTier | undefined;
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
}

/** A data-quality note with the clinical time it concerns, so notes outside the window can be dropped. */
export interface TimedNote {
  readonly note: DataQualityNote;
  /** undefined for notes about missing times. */
  readonly at?: number;
}

/** Vital-sign facts (F1, H1, O1 flows and SpO2, T-D weight). */
export interface VitalsFacts {
  readonly temperatures: readonly Reading[];
  readonly sbp: readonly Reading[];
  readonly map: readonly Reading[];
  readonly spo2: readonly Reading[];
  readonly flows: readonly Reading[];
  readonly weights: readonly Reading[];
  readonly devices: readonly DeviceReading[];
  /** Temperatures charted but ignored (E5/E6), by time: tells G-I "no usable" from "none". */
  readonly ignoredTemperatureTimes: readonly number[];
  readonly notes: readonly TimedNote[];
}
