/**
 * A FHIR Bulk Data cohort (one resource type per `.ndjson` file, as `$export` writes them; a patient's
 * resources spread over the files, in no guaranteed order) read patient by patient with bounded memory.
 * A first pass validates every line and indexes, per patient, the byte ranges of its lines (runs of
 * consecutive lines of one patient merge into one range, so a file written patient by patient costs one
 * range per patient and file); the second reads one patient's ranges back and parses only those.
 * Medications are held once and given to every patient (a formulary, not patient data).
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { basename } from 'node:path';
import type { Resource } from 'fhir/r4.js';
import { isRecord } from '../is-record.js';
import { CohortError } from './cohort-error.js';
import { patientIdOf, roleOf } from './patient-reference.js';
import type { RawPatient } from './raw-patient.js';

const CHUNK_BYTES = 1 << 20;

/** Calls `onLine(text, start, end, lineNumber)` for every non-blank line of a file, reading it in chunks. */
function scanLines(fd: number, onLine: (text: string, start: number, end: number, line: number) => void): void {
  const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  let carry = Buffer.alloc(0);
  /** The file offset of `carry[0]`. */
  let carryStart = 0;
  let line = 0;
  const emit = (data: Buffer, from: number, to: number): void => {
    line += 1;
    const text = data.toString('utf8', from, to);
    if (text.trim() !== '') onLine(text, carryStart + from, carryStart + to, line);
  };
  for (;;) {
    const read = readSync(fd, buffer, 0, CHUNK_BYTES, carryStart + carry.length);
    const data = carry.length === 0 ? buffer.subarray(0, read) : Buffer.concat([carry, buffer.subarray(0, read)]);
    let from = 0;
    for (let nl = data.indexOf(10); nl >= 0; nl = data.indexOf(10, from)) {
      emit(data, from, nl);
      from = nl + 1;
    }
    if (read === 0) {
      if (from < data.length) emit(data, from, data.length);
      return;
    }
    // Copied: the chunk buffer is reused by the next read.
    carry = Buffer.from(data.subarray(from));
    carryStart += from;
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
   */
  constructor(files: readonly string[]) {
    try {
      files.forEach((file, index) => this.index(file, index));
    } catch (error) {
      this.close();
      throw error;
    }
  }

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

  private index(path: string, file: number): void {
    const name = basename(path);
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch {
      throw new CohortError(`cannot read ${name}`);
    }
    this.fds.push(fd);
    let previous: number[] | undefined;
    scanLines(fd, (text, start, end, line) => {
      const where = `${name}:${line}`;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        throw new CohortError(`${where}: not valid JSON`);
      }
      const type = isRecord(value) ? value['resourceType'] : undefined;
      if (!isRecord(value) || typeof type !== 'string') throw new CohortError(`${where}: not a FHIR resource (no resourceType)`);
      const role = roleOf(type);
      if (role === 'shared') this.shared.push(value as unknown as Resource);
      if (role === 'shared' || role === 'ignored') return void (previous = undefined);
      const patientId = patientIdOf(value);
      if (patientId === undefined) {
        throw new CohortError(role === 'patient' ? `${where}: Patient has no id` : `${where}: ${type} has no subject reference to a Patient (subject.reference)`);
      }
      let ranges = this.ranges.get(patientId);
      if (ranges === undefined) this.ranges.set(patientId, (ranges = []));
      // A line right after the previous line of the same patient extends its range.
      if (ranges === previous && ranges[ranges.length - 3] === file && ranges[ranges.length - 1] === start - 1) ranges[ranges.length - 1] = end;
      else ranges.push(file, start, end);
      previous = ranges;
    });
  }
}
