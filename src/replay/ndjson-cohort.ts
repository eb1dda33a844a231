/**
 * A FHIR Bulk Data cohort (one resource type per `.ndjson` file, as `$export` writes them; a patient's
 * resources spread over the files, in no guaranteed order) read patient by patient with bounded memory.
 * A first pass checks every line and indexes, per patient, the byte ranges of its lines (runs of
 * consecutive lines of one patient merge into one range, so a file written patient by patient costs one
 * range per patient and file); it runs in slices on worker threads (ndjson-slices.ts) and stops at the
 * first bad line in file order. The second pass reads one patient's ranges back and parses only those.
 * Medications are held once and given to every patient (a formulary, not patient data).
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { basename } from 'node:path';
import type { Worker } from 'node:worker_threads';
import type { Resource } from 'fhir/r4.js';
import { CohortError } from './cohort-error.js';
import { indexSlice, slicesOf, type Slice, type SliceIndex } from './ndjson-slices.js';
import type { RawPatient } from './raw-patient.js';
import { startWorker } from './start-worker.js';

/** Indexes the slices on `threads` worker threads (in this thread for one), results in slice order. */
async function indexSlices(slices: readonly Slice[], threads: number): Promise<SliceIndex[]> {
  if (threads <= 1 || slices.length <= 1) return slices.map(indexSlice);
  const results: SliceIndex[] = [];
  const pool: Worker[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      let next = 0;
      let done = 0;
      const give = (worker: Worker): void => {
        if (next < slices.length) worker.postMessage({ at: next, slice: slices[next++] });
      };
      for (let i = 0; i < Math.min(threads, slices.length); i++) {
        const worker = startWorker('./ndjson-slice-worker', undefined);
        pool.push(worker);
        worker.on('error', (error) => reject(new CohortError(`an indexing worker stopped: ${error.message.split('\n')[0] ?? 'failed'}`)));
        // A worker that ends without an error event must not leave the replay waiting (after the pass, a no-op).
        worker.on('exit', (code) => reject(new CohortError(`an indexing worker stopped (exit code ${code})`)));
        worker.on('message', (answer: { readonly at: number; readonly index?: SliceIndex; readonly error?: string }) => {
          if (answer.index === undefined) return reject(new CohortError(answer.error ?? 'indexing failed'));
          results[answer.at] = answer.index;
          done += 1;
          if (done === slices.length) resolve();
          else give(worker);
        });
        give(worker);
      }
    });
  } finally {
    await Promise.all(pool.map((worker) => worker.terminate()));
  }
  return results;
}

function openForReading(path: string): number {
  try {
    return openSync(path, 'r');
  } catch {
    throw new CohortError(`cannot read ${basename(path)}`);
  }
}

/**
 * The NDJSON files of a directory, indexed by patient.
 */
export class NdjsonCohort {
  private readonly fds: number[] = [];
  /** Per patient, flat [file, start, end, file, start, end, ...] byte ranges. */
  private readonly ranges = new Map<string, number[]>();
  /** Medications, given to every patient. */
  readonly shared: Resource[] = [];

  /**
   * Indexes every file; throws CohortError naming the file and line of the first bad line.
   * @param files - paths of the `.ndjson` files
   * @param threads - worker threads for the first pass (1: this thread)
   */
  static async open(files: readonly string[], threads: number): Promise<NdjsonCohort> {
    const slices = slicesOf(files, threads);
    const cohort = new NdjsonCohort();
    try {
      cohort.merge(slices, await indexSlices(slices, threads));
      for (const file of files) cohort.fds.push(openForReading(file));
    } catch (error) {
      cohort.close();
      throw error;
    }
    return cohort;
  }

  private constructor() {}

  /** Patient ids in order (sorted, so the order of the lines never changes the output). */
  patientIds(): string[] {
    return [...this.ranges.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }

  /**
   * One patient's lines (in file order), read back from its byte ranges.
   * @param patientId - an id from `patientIds()`
   */
  read(patientId: string): RawPatient {
    const ranges = this.ranges.get(patientId) ?? [];
    const texts: string[] = [];
    for (let i = 0; i < ranges.length; i += 3) {
      const [file, start, end] = [ranges[i] as number, ranges[i + 1] as number, ranges[i + 2] as number];
      const bytes = Buffer.allocUnsafe(end - start);
      readSync(this.fds[file] as number, bytes, 0, bytes.length, start);
      texts.push(bytes.toString('utf8'));
    }
    return { kind: 'ndjson', patientId, text: texts.join('\n') };
  }

  /** Closes the files. */
  close(): void {
    for (const fd of this.fds.splice(0)) closeSync(fd);
  }

  /**
   * The slices' results in file order, as one pass over the files: the first bad line stops it (its
   * number counts the lines of the file's earlier slices), ranges and Medications in file order. A
   * patient's ranges that meet at a slice boundary stay two: read back, they give the same text.
   */
  private merge(slices: readonly Slice[], results: readonly SliceIndex[]): void {
    const linesBefore = new Map<number, number>();
    slices.forEach((slice, i) => {
      const result = results[i] as SliceIndex;
      const before = linesBefore.get(slice.file) ?? 0;
      const { error } = result;
      if (error !== undefined && 'unreadable' in error) throw new CohortError(`cannot read ${basename(slice.path)}`);
      if (error !== undefined) throw new CohortError(`${basename(slice.path)}:${before + error.line}: ${error.problem}`);
      this.shared.push(...result.shared);
      for (const [patientId, own] of result.ranges) {
        const all = this.ranges.get(patientId);
        if (all === undefined) this.ranges.set(patientId, own);
        else for (const n of own) all.push(n);
      }
      linesBefore.set(slice.file, before + result.lines);
    });
  }
}
