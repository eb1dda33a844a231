/**
 * Unit normalisation (E5). The UCUM `code` is authoritative; only when it is absent is the human `unit`
 * text tried against common spellings. A unit that cannot be understood yields `undefined`: the caller
 * ignores the value and reports it, never guesses.
 */
import type { Quantity } from 'fhir/r4.js';

/** What a quantity measures, with its normalised unit: °C, mmHg, L/min, kg, %, % (FiO2). */
export type QuantityKind = 'temperature' | 'pressure' | 'flow' | 'weight' | 'percent' | 'fio2';

type Converter = (value: number) => number;

const UCUM_SYSTEM = 'http://unitsofmeasure.org';
const same: Converter = (v) => v;
/** Rounded to 1e-6 so binary floating point never moves a value across a threshold (100.4 °F is 38.0 °C). */
const fromFahrenheit: Converter = (v) => Math.round((((v - 32) * 5) / 9) * 1e6) / 1e6;

/** Unit tables are Maps: an object would also "know" `constructor`, `valueOf`, `__proto__` (E5: never guess). */
type UnitTable = ReadonlyMap<string, Converter>;
const table = (entries: Record<string, Converter>): UnitTable => new Map(Object.entries(entries));
const perKind = (tables: Record<QuantityKind, Record<string, Converter>>): Readonly<Record<QuantityKind, UnitTable>> => ({
  temperature: table(tables.temperature),
  pressure: table(tables.pressure),
  flow: table(tables.flow),
  weight: table(tables.weight),
  percent: table(tables.percent),
  fio2: table(tables.fio2),
});

/** UCUM codes (case-sensitive, as UCUM is) per kind. */
const UCUM = perKind({
  temperature: { Cel: same, '[degF]': fromFahrenheit },
  pressure: { 'mm[Hg]': same },
  flow: { 'L/min': same, 'l/min': same, 'mL/min': (v) => v / 1000, 'ml/min': (v) => v / 1000 },
  weight: { kg: same, g: (v) => v / 1000, '[lb_av]': (v) => v * 0.45359237 },
  percent: { '%': same },
  // O1: FiO2 as percent, or as a UCUM dimensionless fraction.
  fio2: { '%': same, '1': (v) => v * 100 },
});

/** Common human spellings, compared lower-cased with spaces removed. */
const TEXT = perKind({
  temperature: {
    '°c': same, 'ºc': same, degc: same, cel: same, celsius: same,
    '°f': fromFahrenheit, 'ºf': fromFahrenheit, degf: fromFahrenheit, '[degf]': fromFahrenheit, fahrenheit: fromFahrenheit,
  },
  pressure: { mmhg: same, 'mm[hg]': same },
  flow: { 'l/min': same, lpm: same, 'ml/min': (v) => v / 1000 },
  weight: { kg: same, g: (v) => v / 1000, lb: (v) => v * 0.45359237, lbs: (v) => v * 0.45359237, '[lb_av]': (v) => v * 0.45359237 },
  percent: { '%': same },
  fio2: { '%': same },
});

/** The normalised unit label of each kind, as shown in evidence. */
export const NORMAL_UNIT: Readonly<Record<QuantityKind, string>> = {
  temperature: 'Cel',
  pressure: 'mm[Hg]',
  flow: 'L/min',
  weight: 'kg',
  percent: '%',
  fio2: '%',
};

/** O1: a FiO2 value in this range is a fraction (0.21–1.0), whatever its unit says: below 21 % it cannot be a percent. */
const FIO2_FRACTION = { min: 0.21, max: 1 } as const;

/**
 * The value of `quantity` in the normal unit of `kind`; undefined when there is no numeric value or the
 * unit is not understood (E5).
 * @param quantity - a valueQuantity or component valueQuantity
 * @param kind - what it measures
 */
export function normaliseQuantity(quantity: Quantity, kind: QuantityKind): number | undefined {
  const value = quantity.value;
  if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
  // O1: "FiO2 read as a fraction (0.21–1.0) is converted to percent": 0.4, "0.4 %" and "0.4 {1}" are 40 %.
  if (kind === 'fio2' && value >= FIO2_FRACTION.min && value <= FIO2_FRACTION.max) return Math.round(value * 100 * 1e6) / 1e6;
  // Charted data may be malformed: a non-string code or unit is no unit at all.
  const code = typeof quantity.code === 'string' ? quantity.code.trim() : undefined;
  const codeIsUcum = quantity.system === undefined || quantity.system === UCUM_SYSTEM;
  if (code !== undefined && code !== '' && codeIsUcum) {
    const convert = UCUM[kind].get(code);
    return convert === undefined ? undefined : convert(value);
  }
  const text = typeof quantity.unit === 'string' ? quantity.unit.toLowerCase().replace(/\s+/g, '') : undefined;
  if (text === undefined || text === '') return undefined;
  const convert = TEXT[kind].get(text);
  return convert === undefined ? undefined : convert(value);
}
