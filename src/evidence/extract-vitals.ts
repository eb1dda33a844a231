/**
 * Observation evidence (section 2): temperatures (F1), SBP and charted MAP (H1), SpO2, O2 flow, FiO2 and
 * delivery device (O1), body weight (T-D). Applies E1 statuses, reads `valueQuantity` and `component[]`
 * (E4), normalises units (E5) and drops implausible values (E6). Anything ignored becomes a note, never a
 * silent zero: a temperature ignored for its status (E1) or charted under a code that is not on the
 * body-temperature list (E8) is reported too. Data timed after `asOf` is ignored (replay).
 */
import type { CodeableConcept, Observation, Period, Quantity, Resource } from 'fhir/r4.js';
import type { CodeLists, CodeRef, GradingConfig, Range } from '../config/types.js';
import type { DataQualityNote } from '../grading/assessment.js';
import { createDeviceClassifier, deviceDisplay } from './extract-oxygen.js';
import { asFiniteNumber, asRecord, asText } from './fhir-shape.js';
import { parseFhirTime, type TimeRange } from './fhir-time.js';
import { createCodeIndex } from './match-code.js';
import { unlistedTemperatureNote } from './temperature-notes.js';
import type { DeviceReading, Reading, TimedNote, VitalsFacts } from './types.js';
import { normaliseQuantity, type QuantityKind } from './units.js';

/** E1: the Observation statuses that count. */
const COUNTED_STATUSES: ReadonlySet<string> = new Set(['final', 'amended', 'corrected', 'preliminary']);

type VitalKind = 'temperature' | 'sbp' | 'map' | 'spo2' | 'o2-flow' | 'fio2' | 'weight';

interface VitalSpec {
  readonly kind: VitalKind;
  readonly codes: readonly CodeRef[];
  readonly quantity: QuantityKind;
  readonly plausible?: Range;
}

/** A coded slot of an Observation: the Observation itself or one of its components (E4). */
interface Slot {
  readonly code: CodeableConcept;
  readonly valueQuantity?: Quantity;
  readonly valueCodeableConcept?: CodeableConcept;
  readonly valueString?: string;
}

function specs(lists: VitalsConfig['codeLists'], grading: VitalsConfig['grading']): readonly VitalSpec[] {
  const o = lists.observations;
  const p = grading.plausible;
  return [
    { kind: 'temperature', codes: o.bodyTemperature, quantity: 'temperature', plausible: p.temperatureCelsius },
    { kind: 'sbp', codes: o.systolicBp, quantity: 'pressure', plausible: p.pressureMmHg },
    { kind: 'map', codes: o.meanArterialPressure, quantity: 'pressure', plausible: p.pressureMmHg },
    { kind: 'spo2', codes: o.spo2, quantity: 'percent', plausible: p.spo2Percent },
    { kind: 'o2-flow', codes: o.o2FlowRate, quantity: 'flow', plausible: p.o2FlowLpm },
    { kind: 'fio2', codes: o.fio2, quantity: 'fio2', plausible: p.fio2Percent },
    { kind: 'weight', codes: o.bodyWeight, quantity: 'weight', plausible: p.weightKg },
  ];
}

/** effective[x]; a choice of the wrong kind (a number, an array) is read as absent. */
function effectiveRange(obs: Observation): TimeRange | undefined {
  if (typeof obs.effectiveDateTime === 'string') return parseFhirTime(obs.effectiveDateTime);
  if (typeof obs.effectiveInstant === 'string') return parseFhirTime(obs.effectiveInstant);
  const period = asRecord<Period>(obs.effectivePeriod);
  if (period === undefined) return undefined;
  const start = parseFhirTime(period.start);
  if (start === undefined) return undefined;
  if (typeof period.end !== 'string') return { start: start.start, end: Number.POSITIVE_INFINITY };
  const end = parseFhirTime(period.end);
  return end === undefined ? undefined : { start: start.start, end: Math.max(start.start, end.end) };
}

/** E5/E6: why a value is not usable, or undefined when it is. */
function qualityProblem(value: number | undefined, plausible: Range | undefined): DataQualityNote['code'] | undefined {
  if (value === undefined) return 'unknown-unit';
  if (plausible !== undefined && (value < plausible.min || value > plausible.max)) return 'implausible-value';
  return undefined;
}

/** The quantity as charted, for a note: value and unit code (else unit text). */
function chartedQuantity(quantity: Quantity | undefined): Pick<DataQualityNote, 'value' | 'unit'> {
  const value = asFiniteNumber(quantity?.value);
  const unit = asText(quantity?.code) ?? asText(quantity?.unit);
  return { ...(value === undefined ? {} : { value }), ...(unit === undefined ? {} : { unit }) };
}

type Collected = Record<VitalKind, Reading[]>;

/** What one extraction accumulates. */
interface Sink {
  readonly out: Collected;
  readonly devices: DeviceReading[];
  readonly ignoredTemperatureTimes: number[];
  readonly notes: TimedNote[];
}

/**
 * All the configuration the extraction reads: two configurations equal here extract the same facts
 * (assess-trajectory.ts shares them).
 */
export interface VitalsConfig {
  readonly grading: Pick<GradingConfig, 'plausible'>;
  readonly codeLists: Pick<CodeLists, 'observations' | 'oxygenDevices'>;
}

/**
 * Extracts vital-sign facts from every counted Observation up to `asOf`.
 * @param resources - the patient's resources (non-Observations are ignored)
 * @param asOf - the evaluation time, ms
 * @param config - plausible ranges (E6) and code lists
 */
export function extractVitals(resources: readonly Resource[], asOf: number, config: VitalsConfig): VitalsFacts {
  const lookup = createCodeIndex<VitalSpec | 'device'>([
    ...specs(config.codeLists, config.grading).map((spec) => [spec.codes, spec] as const),
    [config.codeLists.observations.o2DeliveryMethod, 'device'],
  ]);
  const sink: Sink = {
    out: { temperature: [], sbp: [], map: [], spo2: [], 'o2-flow': [], fio2: [], weight: [] },
    devices: [],
    ignoredTemperatureTimes: [],
    notes: [],
  };
  const classify = createDeviceClassifier(config.codeLists.oxygenDevices);

  for (const resource of resources) {
    if (resource.resourceType !== 'Observation') continue;
    const obs = resource as Observation;
    const counted = COUNTED_STATUSES.has(obs.status);
    const components: readonly unknown[] = Array.isArray(obs.component) ? obs.component : [];
    let range: TimeRange | undefined | null = null;
    // A blank id is no id: the assessment never carries an empty string (JSON rule).
    const id = asText(obs.id);
    // The Observation itself, then each component (E4), without allocating a list per Observation.
    for (let i = -1; i < components.length; i += 1) {
      const slot = i < 0 ? obs : asRecord<Slot>(components[i]);
      if (slot === undefined) continue;
      const what = lookup(slot.code);
      if (what === undefined) {
        // E8: a counted quantity in a temperature unit under a code not on the body-temperature list.
        const note = counted ? unlistedTemperatureNote(slot, noteBase(id)) : undefined;
        if (note === undefined) continue;
        range = range ?? effectiveRange(obs);
        if (range === undefined || range.start > asOf) break;
        sink.notes.push({ note, at: range.start });
        sink.ignoredTemperatureTimes.push(range.start);
        continue;
      }
      // E1: an Observation of another status never counts; only a temperature is reported (E8).
      const reportStatus = !counted && what !== 'device' && what.kind === 'temperature';
      if (!counted && !reportStatus) continue;
      if (range === null) {
        range = effectiveRange(obs);
        if (range === undefined && counted) sink.notes.push({ note: { ...noteBase(id), code: 'missing-time' } });
      }
      if (range === undefined || range.start > asOf) break;
      const { start, end } = range;
      if (what === 'device') {
        const value = asRecord<CodeableConcept>(slot.valueCodeableConcept) ?? asText(slot.valueString);
        if (value === undefined) continue;
        const tier = classify(value);
        // O1: a charted device that is neither recognised nor room air is oxygen of unknown tier: at least low-flow.
        // One object shape for every reading (absent members undefined): 10,000 devices a record.
        sink.devices.push(
          tier === undefined
            ? { id, start, end, tier: 'low-flow', unrecognised: true, display: deviceDisplay(value, true) ?? 'unnamed device' }
            : { id, start, end, tier, unrecognised: undefined, display: deviceDisplay(value) },
        );
        continue;
      }
      const quantity = asRecord<Quantity>(slot.valueQuantity);
      if (quantity === undefined || asFiniteNumber(quantity.value) === undefined) continue;
      if (reportStatus) {
        // E1 for temperatures: reported, not silently dropped.
        sink.notes.push({ note: { ...noteBase(id), code: 'status-not-counted', ...chartedQuantity(quantity), kind: 'temperature', ...statusOf(obs) }, at: start });
        sink.ignoredTemperatureTimes.push(start);
        continue;
      }
      const value = normaliseQuantity(quantity, what.quantity);
      const problem = qualityProblem(value, what.plausible);
      if (problem === undefined && value !== undefined) {
        sink.out[what.kind].push({ id, start, end, value });
        continue;
      }
      sink.notes.push({ note: { ...noteBase(id), code: problem ?? 'unknown-unit', ...chartedQuantity(quantity), kind: what.kind }, at: start });
      if (what.kind === 'temperature') sink.ignoredTemperatureTimes.push(start);
    }
  }
  const { out } = sink;
  return {
    temperatures: out.temperature,
    sbp: out.sbp,
    map: out.map,
    spo2: out.spo2,
    flows: out['o2-flow'],
    fio2: out.fio2,
    weights: out.weight,
    devices: sink.devices,
    ignoredTemperatureTimes: sink.ignoredTemperatureTimes,
    notes: sink.notes,
  };
}

/** A note's resource type and id: built only when a note is written (50,000 Observations write few). */
function noteBase(id: string | undefined): Pick<DataQualityNote, 'resourceType' | 'id'> {
  return id === undefined ? { resourceType: 'Observation' } : { resourceType: 'Observation', id };
}

/** The status as charted, when it is a string (a missing status is shown as such). */
function statusOf(obs: Observation): Pick<DataQualityNote, 'status'> {
  return { status: asText(obs.status) ?? 'absent' };
}
