/**
 * The current lookback window: [max(asOf − lookbackHours, episodeStart), asOf] (section 2, S1-E). Reduces
 * the episode's facts to the `CrsFacts` grading reads, and keeps the evidence items that explain them.
 */
import type { EvidenceItem, OxygenTier } from '../grading/assessment.js';
import { fio2Tier, flowTier } from '../grading/grade-crs.js';
import type { CrsFacts, GradingThresholds, VasopressorStep } from '../grading/types.js';
import { activeIn, deviceItem, extreme, medicationItem, overlaps, readingItem, sortEvidence } from './evidence-items.js';
import { highestTier } from './extract-oxygen.js';
import { vasopressorsInWindow } from './extract-vasopressors.js';
import { compareIds } from './partition-resources.js';
import type { DeviceReading, GradedReadings, MedicationEvent, Reading } from './types.js';
import { NORMAL_UNIT } from './units.js';

/** What the current window holds. */
export interface WindowInput {
  /** The readings that may lie in the window (others are left out here). */
  readonly readings: GradedReadings;
  readonly from: number;
  readonly to: number;
  /** sbpBelow is the threshold at the evaluation time (H1-P). */
  readonly thresholds: GradingThresholds;
  readonly masked: boolean;
  readonly ignoredTemperatureTimes: readonly number[];
  readonly vasopressors: readonly MedicationEvent[];
  readonly vasopressorSteps: readonly VasopressorStep[];
}

/** The window's facts and the evidence behind each criterion. */
export interface WindowSummary {
  readonly facts: CrsFacts;
  readonly maxTemperature?: EvidenceItem;
  /** C5: the latest temperature, when it is not the highest. */
  readonly latestTemperature?: EvidenceItem;
  /** G-I, C4: temperatures were charted in the window but none was countable. */
  readonly onlyUnusableTemperatures: boolean;
  readonly lowestSbp?: EvidenceItem;
  readonly lowestMap?: EvidenceItem;
  readonly lowestSpo2?: EvidenceItem;
  readonly vasopressors: readonly EvidenceItem[];
  /** E3-R: H2 "multiple" rests on activity inferred from charted rates. */
  readonly concurrencyInferred: boolean;
  /** O1: the devices, flows and FiO2 of each tier found (room air excluded; unrecognised devices as low-flow). */
  readonly oxygenByTier: ReadonlyMap<OxygenTier, readonly EvidenceItem[]>;
  /** Devices whose code and text were both unrecognised. */
  readonly unrecognisedDevices: readonly EvidenceItem[];
  /** The latest room air (device or flow 0) charted. */
  readonly roomAir?: EvidenceItem;
}

function add(map: Map<OxygenTier, EvidenceItem[]>, tier: OxygenTier, item: EvidenceItem): void {
  const list = map.get(tier) ?? [];
  list.push(item);
  map.set(tier, list);
}

/** The latest reading (then the largest id), or undefined for none. */
function latest<T extends { readonly start: number; readonly id?: string }>(items: readonly T[]): T | undefined {
  let best: T | undefined;
  for (const r of items) {
    if (best === undefined || r.start > best.start || (r.start === best.start && compareIds(r.id, best.id) > 0)) best = r;
  }
  return best;
}

/** O1 evidence by tier: every device, flow and FiO2 contributes its own tier. */
function oxygenEvidence(devices: readonly DeviceReading[], flows: readonly Reading[], fio2: readonly Reading[], th: GradingThresholds) {
  const oxygenByTier = new Map<OxygenTier, EvidenceItem[]>();
  const unrecognisedDevices: EvidenceItem[] = [];
  const roomAir: { readonly start: number; readonly id?: string; readonly item: EvidenceItem }[] = [];
  for (const d of devices) {
    if (d.unrecognised === true) unrecognisedDevices.push(deviceItem(d));
    if (d.tier === 'none') roomAir.push({ start: d.start, ...(d.id === undefined ? {} : { id: d.id }), item: deviceItem(d) });
    else add(oxygenByTier, d.tier, deviceItem(d));
  }
  for (const f of flows) {
    const tier = flowTier(f.value, th.lowFlowMaxLpm);
    const item = readingItem(f, 'o2-flow', NORMAL_UNIT.flow);
    if (tier !== 'none') add(oxygenByTier, tier, item);
    else roomAir.push({ start: f.start, ...(f.id === undefined ? {} : { id: f.id }), item });
  }
  for (const f of fio2) {
    const tier = fio2Tier(f.value, th);
    if (tier !== 'none') add(oxygenByTier, tier, readingItem(f, 'fio2', NORMAL_UNIT.fio2));
  }
  for (const list of oxygenByTier.values()) sortEvidence(list);
  return { oxygenByTier, unrecognisedDevices: sortEvidence(unrecognisedDevices), roomAir: latest(roomAir)?.item };
}

/** The readings in [from, to] (a module function: the window is summarised at every hour of a trajectory). */
function within(items: readonly Reading[], from: number, to: number): Reading[] {
  return items.filter((r) => overlaps(r, from, to));
}

/**
 * Summarises the current window.
 * @param input - the episode's facts and the window bounds
 */
export function summariseWindow(input: WindowInput): WindowSummary {
  const { from, to, readings } = input;
  const temperatures = within(readings.temperatures, from, to);
  const maxTemp = extreme(temperatures, true);
  const lastTemp = latest(temperatures);
  const lowSbp = extreme(within(readings.sbp, from, to), false);
  const lowMap = extreme(within(readings.map, from, to), false);
  const lowSpo2 = extreme(within(readings.spo2, from, to), false);
  const flows = within(readings.flows, from, to);
  const fio2 = within(readings.fio2, from, to);
  const devices = readings.devices.filter((d) => overlaps(d, from, to));
  const pressors = vasopressorsInWindow(input.vasopressorSteps, from, to);
  const maxFlow = extreme(flows, true);
  const maxFio2 = extreme(fio2, true);
  const oxygen = oxygenEvidence(devices, flows, fio2, input.thresholds);

  return {
    facts: {
      thresholds: input.thresholds,
      ...(maxTemp === undefined ? {} : { maxTemperatureC: maxTemp.value }),
      masked: input.masked,
      ...(lowSbp === undefined ? {} : { lowestSbp: lowSbp.value }),
      ...(lowMap === undefined ? {} : { lowestMap: lowMap.value }),
      vasopressorActive: pressors.active,
      maxConcurrentVasopressors: pressors.maxConcurrent,
      deviceTier: highestTier(devices.map((d) => d.tier)),
      ...(maxFlow === undefined ? {} : { maxFlowLpm: maxFlow.value }),
      ...(maxFio2 === undefined ? {} : { maxFio2Percent: maxFio2.value }),
    },
    ...(maxTemp === undefined ? {} : { maxTemperature: readingItem(maxTemp, 'temperature', NORMAL_UNIT.temperature) }),
    ...(lastTemp === undefined || lastTemp === maxTemp || lastTemp.value === maxTemp?.value
      ? {}
      : { latestTemperature: readingItem(lastTemp, 'temperature', NORMAL_UNIT.temperature) }),
    onlyUnusableTemperatures: maxTemp === undefined && input.ignoredTemperatureTimes.some((t) => t >= from && t <= to),
    ...(lowSbp === undefined ? {} : { lowestSbp: readingItem(lowSbp, 'sbp', NORMAL_UNIT.pressure) }),
    ...(lowMap === undefined ? {} : { lowestMap: readingItem(lowMap, 'map', NORMAL_UNIT.pressure) }),
    ...(lowSpo2 === undefined ? {} : { lowestSpo2: readingItem(lowSpo2, 'spo2', NORMAL_UNIT.percent) }),
    vasopressors: sortEvidence(input.vasopressors.filter((e) => activeIn(e, from, to)).map(medicationItem)),
    concurrencyInferred: pressors.concurrencyInferred,
    oxygenByTier: oxygen.oxygenByTier,
    unrecognisedDevices: oxygen.unrecognisedDevices,
    ...(oxygen.roomAir === undefined ? {} : { roomAir: oxygen.roomAir }),
  };
}
