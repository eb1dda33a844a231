/**
 * Observation evidence (section 2): temperatures (F1), SBP and charted MAP (H1), SpO2 and O2 flow and
 * delivery device (O1), body weight (T-D). Applies E1 statuses, reads `valueQuantity` and `component[]`
 * (E4), normalises units (E5) and drops implausible values (E6). Anything ignored becomes a note, never a
 * silent zero. Data timed after `asOf` is ignored (replay).
 */
import type { CodeableConcept, Observation, Period, Quantity, Resource } from 'fhir/r4.js';
import type { CodeLists, CodeRef, GradingConfig, Range } from '../config/types.js';
import type { DataQualityNote } from '../grading/assessment.js';
import { createDeviceClassifier } from './extract-oxygen.js';
import { asFiniteNumber, asRecord, asString, asText, codingsOf } from './fhir-shape.js';
import { parseFhirTime, type TimeRange } from './fhir-time.js';
import { createCodeIndex } from './match-code.js';
import type { DeviceReading, Reading, TimedNote, VitalsFacts } from './types.js';
import { normaliseQuantity, type QuantityKind } from './units.js';

/** E1: the Observation statuses that count. */
const COUNTED_STATUSES: ReadonlySet<string> = new Set(['final', 'amended', 'corrected', 'preliminary']);

type VitalKind = 'temperature' | 'sbp' | 'map' | 'spo2' | 'o2-flow' | 'weight';

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

function specs(lists: CodeLists, grading: GradingConfig): readonly VitalSpec[] {
  const o = lists.observations;
  const p = grading.plausible;
  return [
    { kind: 'temperature', codes: o.bodyTemperature, quantity: 'temperature', plausible: p.temperatureCelsius },
    { kind: 'sbp', codes: o.systolicBp, quantity: 'pressure', plausible: p.pressureMmHg },
    { kind: 'map', codes: o.meanArterialPressure, quantity: 'pressure', plausible: p.pressureMmHg },
    { kind: 'spo2', codes: o.spo2, quantity: 'percent' },
    { kind: 'o2-flow', codes: o.o2FlowRate, quantity: 'flow', plausible: p.o2FlowLpm },
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

interface Collected {
  temperature: Reading[];
  sbp: Reading[];
  map: Reading[];
  spo2: Reading[];
  'o2-flow': Reading[];
  weight: Reading[];
}

/**
 * Extracts vital-sign facts from every counted Observation up to `asOf`.
 * @param resources - the patient's resources (non-Observations are ignored)
 * @param asOf - the evaluation time, ms
 * @param config - grading thresholds and code lists
 */
export function extractVitals(
  resources: readonly Resource[],
  asOf: number,
  config: { readonly grading: GradingConfig; readonly codeLists: CodeLists },
): VitalsFacts {
  const lookup = createCodeIndex<VitalSpec | 'device'>([
    ...specs(config.codeLists, config.grading).map((spec) => [spec.codes, spec] as const),
    [config.codeLists.observations.o2DeliveryMethod, 'device'],
  ]);
  const out: Collected = { temperature: [], sbp: [], map: [], spo2: [], 'o2-flow': [], weight: [] };
  const devices: DeviceReading[] = [];
  const ignoredTemperatureTimes: number[] = [];
  const notes: TimedNote[] = [];
  const classify = createDeviceClassifier(config.codeLists.oxygenDevices);

  for (const resource of resources) {
    if (resource.resourceType !== 'Observation') continue;
    const obs = resource as Observation;
    if (!COUNTED_STATUSES.has(obs.status)) continue;
    const components: readonly unknown[] = Array.isArray(obs.component) ? obs.component : [];
    let range: TimeRange | undefined | null = null;
    const id = asString(obs.id);
    // The Observation itself, then each component (E4), without allocating a list per Observation.
    for (let i = -1; i < components.length; i += 1) {
      const slot = i < 0 ? obs : asRecord<Slot>(components[i]);
      if (slot === undefined) continue;
      const what = lookup(slot.code);
      if (what === undefined) continue;
      if (range === null) {
        range = effectiveRange(obs);
        if (range === undefined) {
          notes.push({ note: { resourceType: 'Observation', ...(id === undefined ? {} : { id }), code: 'missing-time' } });
        }
      }
      if (range === undefined || range.start > asOf) break;
      const { start, end } = range;
      if (what === 'device') {
        const value = asRecord<CodeableConcept>(slot.valueCodeableConcept) ?? asText(slot.valueString);
        if (value === undefined) continue;
        const display =
          typeof value === 'string' ? value : (asText(value.text) ?? codingsOf(value).find((c) => asText(c.display))?.display);
        devices.push({ id, start, end, tier: classify(value), display });
        continue;
      }
      const quantity = asRecord<Quantity>(slot.valueQuantity);
      if (quantity === undefined || asFiniteNumber(quantity.value) === undefined) continue;
      const value = normaliseQuantity(quantity, what.quantity);
      const problem = qualityProblem(value, what.plausible);
      if (problem === undefined && value !== undefined) {
        out[what.kind].push({ id, start, end, value });
        continue;
      }
      const unit = asString(quantity.code) ?? asString(quantity.unit);
      const note: DataQualityNote = {
        resourceType: 'Observation',
        ...(id === undefined ? {} : { id }),
        code: problem ?? 'unknown-unit',
        value: quantity.value,
        ...(unit === undefined ? {} : { unit }),
        kind: what.kind,
      };
      notes.push({ note, at: start });
      if (what.kind === 'temperature') ignoredTemperatureTimes.push(start);
    }
  }
  return {
    temperatures: out.temperature,
    sbp: out.sbp,
    map: out.map,
    spo2: out.spo2,
    flows: out['o2-flow'],
    weights: out.weight,
    devices,
    ignoredTemperatureTimes,
    notes,
  };
}
