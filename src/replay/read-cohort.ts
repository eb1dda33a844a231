/**
 * A cohort directory, patient by patient: one FHIR Bundle per patient (`*.json`, read one file at a
 * time), or FHIR Bulk Data NDJSON (`*.ndjson`, see ndjson-cohort.ts). Either way at most one patient's
 * resources are held at once.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { bundleResources, onlyPatientId } from '../cli/bundle-input.js';
import { CohortError } from './cohort-error.js';
import { NdjsonCohort, type CohortPatient } from './ndjson-cohort.js';

export type { CohortPatient } from './ndjson-cohort.js';

/** An opened cohort. */
export interface Cohort {
  readonly format: 'bundle' | 'ndjson';
  /** How many patients it holds (for progress). */
  readonly size: number;
  /** The patients, one at a time. */
  patients(): Generator<CohortPatient>;
  close(): void;
}

const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The files of a directory with an extension, sorted by name. */
function filesOf(dir: string, names: readonly string[], extension: string): string[] {
  return names.filter((n) => n.toLowerCase().endsWith(extension)).sort(byName).map((n) => join(dir, n));
}

/** One Bundle file's patient, or CohortError naming the file. */
function readBundle(path: string, name: string): CohortPatient {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new CohortError(`${name}: ${error instanceof SyntaxError ? 'not valid JSON' : 'cannot be read'}`);
  }
  try {
    const resources = bundleResources(value);
    return { patientId: onlyPatientId(resources, 'replay'), resources };
  } catch (error) {
    throw new CohortError(`${name}: ${error instanceof Error ? error.message : 'not a patient Bundle'}`);
  }
}

/**
 * Opens a cohort directory; NDJSON is indexed here (every line validated before any patient is read).
 * @param dir - the directory
 * @throws CohortError for a missing directory, no cohort files, a mix of both kinds, or a bad line
 */
export function openCohort(dir: string): Cohort {
  let names: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new CohortError(`${dir} is not a directory`);
    names = readdirSync(dir);
  } catch (error) {
    throw error instanceof CohortError ? error : new CohortError(`cannot read the cohort directory ${dir}`);
  }
  const bundles = filesOf(dir, names, '.json');
  const ndjson = filesOf(dir, names, '.ndjson');
  if (bundles.length > 0 && ndjson.length > 0) throw new CohortError(`${dir} holds both .json Bundles and .ndjson files; replay one kind of cohort at a time`);
  if (ndjson.length > 0) {
    const cohort = new NdjsonCohort(ndjson);
    const ids = cohort.patientIds();
    return {
      format: 'ndjson',
      size: ids.length,
      *patients() {
        for (const id of ids) yield cohort.read(id);
      },
      close: () => cohort.close(),
    };
  }
  if (bundles.length === 0) throw new CohortError(`${dir} holds no patient Bundles (*.json) or Bulk Data files (*.ndjson)`);
  return {
    format: 'bundle',
    size: bundles.length,
    *patients() {
      for (const path of bundles) yield readBundle(path, path.slice(dir.length).replace(/^[\\/]+/, ''));
    },
    close: () => undefined,
  };
}
