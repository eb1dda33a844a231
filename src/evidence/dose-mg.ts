/**
 * A dose quantity in milligrams (E5 for doses): the UCUM code is authoritative; the unit text is read only
 * when there is no code. Anything else (mL, mg/kg, tablets) is no mass and yields undefined, never a guess.
 */
import type { Quantity } from 'fhir/r4.js';
import { asFiniteNumber, asRecord } from './fhir-shape.js';

const UCUM = 'http://unitsofmeasure.org';
/** mg per unit. A Map, so a unit named `constructor` or `toString` is no unit, not an inherited property. */
const MG_PER_UNIT: ReadonlyMap<string, number> = new Map([
  ['mg', 1],
  ['g', 1000],
  ['ug', 0.001],
]);

/**
 * The quantity in mg, or undefined when it is not a charted mass.
 * @param value - a Quantity as charted (malformed = undefined)
 */
export function quantityMg(value: unknown): number | undefined {
  const q = asRecord<Quantity>(value);
  const amount = asFiniteNumber(q?.value);
  if (q === undefined || amount === undefined) return undefined;
  let unit: string | undefined;
  if (q.code !== undefined) unit = typeof q.code === 'string' && (q.system === undefined || q.system === UCUM) ? q.code : undefined;
  else unit = typeof q.unit === 'string' ? q.unit.trim().toLowerCase() : undefined;
  const factor = unit === undefined ? undefined : MG_PER_UNIT.get(unit);
  return factor === undefined ? undefined : amount * factor;
}
