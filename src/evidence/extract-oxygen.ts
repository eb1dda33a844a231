/**
 * Oxygen device recognition (O1, 6.1). A device is recognised by its value code first; failing codes, by
 * its text against the configured synonyms of every tier at once, keeping the longest non-overlapping
 * matches (a word inside a longer match does not count on its own: "reservoir cannula" is not also
 * "cannula"); among separate matches in one text the highest tier wins ("Hi flow NC" is high-flow).
 */
import type { CodeableConcept } from 'fhir/r4.js';
import type { OxygenTier } from '../grading/assessment.js';
import type { CodeLists, Concept } from '../config/types.js';
import { asRecord, asText, codingsOf } from './fhir-shape.js';
import { higherTier, OXYGEN_TIERS } from '../grading/grade-crs.js';
import { createCodeIndex } from './match-code.js';
import { findNameMatches, longestNonOverlapping } from './match-name.js';

type DeviceLists = CodeLists['oxygenDevices'];

function tierLists(devices: DeviceLists): readonly (readonly [OxygenTier, Concept])[] {
  return [
    ['none', devices.roomAir],
    ['low-flow', devices.lowFlow],
    ['high-flow', devices.highFlow],
    ['positive-pressure', devices.positivePressure],
  ];
}

function highest(tiers: readonly OxygenTier[]): OxygenTier | undefined {
  if (tiers.length === 0) return undefined;
  return tiers.reduce(higherTier);
}

function tierFromText(text: string, devices: DeviceLists): OxygenTier | undefined {
  const lists = tierLists(devices);
  const candidates = lists.flatMap(([tier, concept]) =>
    findNameMatches(text, concept.names).map((m) => ({ ...m, tier })),
  );
  return highest(longestNonOverlapping(candidates).map((m) => m.tier));
}

/** Classifies documented devices (O1): see {@link createDeviceClassifier}. */
export type DeviceClassifier = (value: CodeableConcept | string) => OxygenTier | undefined;

/**
 * A device classifier for one evaluation: codes through an index, texts classified once each (device
 * texts repeat across a record). 'none' for room air; undefined when not recognised.
 * @param devices - the configured device lists (6.1)
 */
export function createDeviceClassifier(devices: DeviceLists): DeviceClassifier {
  const byCode = createCodeIndex(tierLists(devices).map(([tier, concept]) => [concept.codes, tier] as const));
  const texts = new Map<string, OxygenTier | undefined>();
  const fromText = (text: string): OxygenTier | undefined => {
    if (texts.has(text)) return texts.get(text);
    const tier = tierFromText(text, devices);
    if (texts.size < 10_000) texts.set(text, tier);
    return tier;
  };
  return (value) => {
    if (typeof value === 'string') return fromText(value);
    // One coding (nearly every charted device): its tier directly, without copying it.
    const raw: unknown = asRecord(value)?.['coding'];
    const single = Array.isArray(raw) && raw.length === 1 ? byCode(value) : undefined;
    if (single !== undefined) return single;
    // Every coding counts (the highest tier among recognised codes); texts only when no code is recognised.
    const codings = codingsOf(value);
    const coded = highest(codings.map((c) => byCode({ coding: [c] })).filter((t): t is OxygenTier => t !== undefined));
    if (coded !== undefined) return coded;
    // Malformed text or displays (not strings) are read as absent.
    const candidates = [asText(asRecord(value)?.['text']), ...codings.map((c) => asText(c.display))].filter(
      (t): t is string => t !== undefined,
    );
    return highest(candidates.map(fromText).filter((t): t is OxygenTier => t !== undefined));
  };
}

/**
 * How a documented device is named on a card: its text, else a coding display; for an unrecognised
 * device (which must be named), else its coding as `system|code`. Undefined when there is none.
 * @param value - the device as a CodeableConcept, or free text (valueString)
 * @param withCode - fall back to the coding (unrecognised devices)
 */
export function deviceDisplay(value: CodeableConcept | string, withCode = false): string | undefined {
  if (typeof value === 'string') return value;
  const text = asText(value.text);
  if (text !== undefined) return text;
  // Read in place: every device of a record passes here, and most carry neither text nor display.
  const raw: unknown = value.coding;
  if (Array.isArray(raw)) {
    for (const coding of raw as unknown[]) {
      const display = asText(asRecord(coding)?.['display']);
      if (display !== undefined) return display;
    }
  }
  if (!withCode) return undefined;
  const coded = codingsOf(value).find((c) => asText(c.code) !== undefined);
  return coded === undefined ? undefined : [asText(coded.system), coded.code].filter((p) => p !== undefined).join('|');
}

/**
 * The O1 tier of one documented device; 'none' for room air; undefined when not recognised.
 * @param value - the device as a CodeableConcept, or free text (valueString)
 * @param devices - the configured device lists (6.1)
 */
export function classifyDevice(value: CodeableConcept | string, devices: DeviceLists): OxygenTier | undefined {
  return createDeviceClassifier(devices)(value);
}

/**
 * The highest of several tiers (O1).
 * @param tiers - tiers found
 */
export function highestTier(tiers: readonly OxygenTier[]): OxygenTier {
  return highest(tiers) ?? 'none';
}

/**
 * Rank of a tier (0 none … 3 positive pressure), as the episode sweep stores it.
 * @param tier - an O1 tier
 */
export function tierRank(tier: OxygenTier): number {
  return OXYGEN_TIERS.indexOf(tier);
}
