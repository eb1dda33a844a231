/**
 * The current lookback window: [max(asOf − lookbackHours, episodeStart), asOf] (section 2, S1-E). Reduces
 * the episode's facts to the `CrsFacts` grading reads, and keeps the evidence items that explain them.
 */
import type { EvidenceItem, OxygenTier } from '../grading/assessment.js';
import { flowTier } from '../grading/grade-crs.js';
import type { CrsFacts, GradingThresholds, VasopressorStep } from '../grading/types.js';
import { activeIn, deviceItem, extreme, medicationItem, overlaps, readingItem, sortEvidence } from './evidence-items.js';
import { highestTier } from './extract-oxygen.js';
import { vasopressorsInWindow } from './extract-vasopressors.js';
import type { DeviceReading, MedicationEvent, Reading } from './types.js';
import { NORMAL_UNIT } from './units.js';

/** What the current window holds. */
export interface WindowInput {
  readonly from: number;
  readonly to: number;
  readonly thresholds: GradingThresholds;
  readonly masked: boolean;
  readonly temperatures: readonly Reading[];
  readonly ignoredTemperatureTimes: readonly number[];
  readonly sbp: readonly Reading[];
  readonly map: readonly Reading[];
  readonly spo2: readonly Reading[];
  readonly flows: readonly Reading[];
  readonly devices: readonly DeviceReading[];
  readonly vasopressors: readonly MedicationEvent[];
  readonly vasopressorSteps: readonly VasopressorStep[];
}

/** The window's facts and the evidence behind each criterion. */
export interface WindowSummary {
  readonly facts: CrsFacts;
  readonly maxTemperature?: EvidenceItem;
  /** G-I: temperatures were charted in the window but none was usable. */
  readonly onlyUnusableTemperatures: boolean;
  readonly lowestSbp?: EvidenceItem;
  readonly lowestMap?: EvidenceItem;
  readonly lowestSpo2?: EvidenceItem;
  readonly vasopressors: readonly EvidenceItem[];
  /** O1: the devices and flows of each tier found (room air and unrecognised devices excluded). */
  readonly oxygenByTier: ReadonlyMap<OxygenTier, readonly EvidenceItem[]>;
  /** Devices whose code and text were both unrecognised. */
  readonly unrecognisedDevices: readonly EvidenceItem[];
}

const byTime = sortEvidence;

function add(map: Map<OxygenTier, EvidenceItem[]>, tier: OxygenTier, item: EvidenceItem): void {
  const list = map.get(tier) ?? [];
  list.push(item);
  map.set(tier, list);
}

/**
 * Summarises the current window.
 * @param input - the episode's facts and the window bounds
 */
export function summariseWindow(input: WindowInput): WindowSummary {
  const { from, to } = input;
  const within = (readings: readonly Reading[]): Reading[] => readings.filter((r) => overlaps(r, from, to));
  const maxTemp = extreme(within(input.temperatures), true);
  const lowSbp = extreme(within(input.sbp), false);
  const lowMap = extreme(within(input.map), false);
  const lowSpo2 = extreme(within(input.spo2), false);
  const flows = within(input.flows);
  const devices = input.devices.filter((d) => overlaps(d, from, to));
  const pressors = vasopressorsInWindow(input.vasopressorSteps, from, to);
  const maxFlow = extreme(flows, true);

  const oxygenByTier = new Map<OxygenTier, EvidenceItem[]>();
  const unrecognisedDevices: EvidenceItem[] = [];
  for (const d of devices) {
    if (d.tier === undefined) unrecognisedDevices.push(deviceItem(d));
    else if (d.tier !== 'none') add(oxygenByTier, d.tier, deviceItem(d));
  }
  for (const f of flows) {
    const tier = flowTier(f.value, input.thresholds.lowFlowMaxLpm);
    if (tier !== 'none') add(oxygenByTier, tier, readingItem(f, 'o2-flow', NORMAL_UNIT.flow));
  }
  for (const list of oxygenByTier.values()) byTime(list);
  const deviceTier = highestTier(devices.map((d) => d.tier ?? 'none'));

  return {
    facts: {
      thresholds: input.thresholds,
      ...(maxTemp === undefined ? {} : { maxTemperatureC: maxTemp.value }),
      masked: input.masked,
      ...(lowSbp === undefined ? {} : { lowestSbp: lowSbp.value }),
      ...(lowMap === undefined ? {} : { lowestMap: lowMap.value }),
      vasopressorActive: pressors.active,
      maxConcurrentVasopressors: pressors.maxConcurrent,
      deviceTier,
      ...(maxFlow === undefined ? {} : { maxFlowLpm: maxFlow.value }),
    },
    ...(maxTemp === undefined ? {} : { maxTemperature: readingItem(maxTemp, 'temperature', NORMAL_UNIT.temperature) }),
    onlyUnusableTemperatures: maxTemp === undefined && input.ignoredTemperatureTimes.some((t) => t >= from && t <= to),
    ...(lowSbp === undefined ? {} : { lowestSbp: readingItem(lowSbp, 'sbp', NORMAL_UNIT.pressure) }),
    ...(lowMap === undefined ? {} : { lowestMap: readingItem(lowMap, 'map', NORMAL_UNIT.pressure) }),
    ...(lowSpo2 === undefined ? {} : { lowestSpo2: readingItem(lowSpo2, 'spo2', NORMAL_UNIT.percent) }),
    vasopressors: byTime(input.vasopressors.filter((e) => activeIn(e, from, to)).map(medicationItem)),
    oxygenByTier,
    unrecognisedDevices: byTime(unrecognisedDevices),
  };
}
