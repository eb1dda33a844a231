/**
 * A cohort directory, patient by patient: one FHIR Bundle per patient (`*.json`, read one file at a
 * time), or FHIR Bulk Data NDJSON (`*.ndjson`, see ndjson-cohort.ts). Either way at most one patient's
 * resources are held at once.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Resource } from 'fhir/r4.js';
import { CohortError } from './cohort-error.js';
import { NdjsonCohort } from './ndjson-cohort.js';
import type { RawPatient } from './raw-patient.js';

/** An opened cohort. */
export interface Cohort {
  readonly format: 'bundle' | 'ndjson';
  /** How many patients it holds (for progress). */
  readonly size: number;
  /** Resources every patient gets (NDJSON Medications). */
  readonly shared: readonly Resource[];
  /** The patients' text, one at a time (parse with `parsePatient`). */
  patients(): Generator<RawPatient>;
  close(): void;
}

const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The files of a directory with an extension, sorted by name. */
function filesOf(dir: string, names: readonly string[], extension: string): string[] {
  return names.filter((n) => n.toLowerCase().endsWith(extension)).sort(byName).map((n) => join(dir, n));
}

/**
 * Opens a cohort directory; NDJSON is indexed here (every line validated before any patient is read).
 * @param dir - the directory
 * @param threads - worker threads for indexing NDJSON (1: this thread)
 * @throws CohortError for a missing directory, no cohort files, a mix of both kinds, or a bad line
 */
export async function openCohort(dir: string, threads = 1): Promise<Cohort> {
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
    const cohort = await NdjsonCohort.open(ndjson, threads);
    const ids = cohort.patientIds();
    return {
      format: 'ndjson',
      size: ids.length,
      shared: cohort.shared,
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
    shared: [],
    *patients() {
      for (const path of bundles) {
        const name = basename(path);
        let text: string;
        try {
          text = readFileSync(path, 'utf8');
        } catch {
          throw new CohortError(`${name}: cannot be read`);
        }
        yield { kind: 'bundle', name, text };
      }
    },
    close: () => undefined,
  };
}
