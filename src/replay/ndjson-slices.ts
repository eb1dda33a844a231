/**
 * The first pass over a Bulk Data cohort, in slices: each `.ndjson` file is cut at line starts into as
 * many slices as there are threads to index them (small files stay whole), and each slice is checked line
 * by line and indexed by patient on its own (`indexSlice`), so worker threads can share the pass. The
 * slices' results, taken in file order, give exactly what one pass over the files gives (ndjson-cohort.ts).
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { Resource } from 'fhir/r4.js';
import { isRecord } from '../is-record.js';
import { patientIdOf, roleOf } from './patient-reference.js';

const CHUNK_BYTES = 1 << 20;
/** Files under this size are one slice: cutting them gains nothing. */
const SLICE_MIN_BYTES = 8 << 20;
const NEWLINE = 10;

/** Bytes [from, to) of one file, starting at a line start. */
export interface Slice {
  readonly path: string;
  /** The file's position in the cohort's file list. */
  readonly file: number;
  readonly from: number;
  readonly to: number;
}

/** What one slice holds. */
export interface SliceIndex {
  /** Per patient, flat [file, start, end, file, start, end, ...] byte ranges of its lines, in file order. */
  readonly ranges: [string, number[]][];
  /** Medications, in file order. */
  readonly shared: Resource[];
  /** Lines read, blank ones included: the next slice of the file numbers its lines after them. */
  readonly lines: number;
  /**
   * The slice's first bad line (numbered within the slice; nothing after it was read), or its file could
   * not be read.
   */
  readonly error?: { readonly line: number; readonly problem: string } | { readonly unreadable: true };
}

/** Calls `onLine(text, start, end)` for every line of [from, to) (blank ones too); false from it stops. */
function scanLines(fd: number, from: number, to: number, onLine: (text: string, start: number, end: number) => boolean): void {
  const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  let carry = Buffer.alloc(0);
  /** The file offset of `carry[0]`. */
  let carryStart = from;
  for (;;) {
    const position = carryStart + carry.length;
    const read = position >= to ? 0 : readSync(fd, buffer, 0, Math.min(CHUNK_BYTES, to - position), position);
    const data = carry.length === 0 ? buffer.subarray(0, read) : Buffer.concat([carry, buffer.subarray(0, read)]);
    let start = 0;
    for (let nl = data.indexOf(NEWLINE); nl >= 0; nl = data.indexOf(NEWLINE, start)) {
      if (!onLine(data.toString('utf8', start, nl), carryStart + start, carryStart + nl)) return;
      start = nl + 1;
    }
    if (read === 0) {
      if (start < data.length) onLine(data.toString('utf8', start, data.length), carryStart + start, carryStart + data.length);
      return;
    }
    // Copied: the chunk buffer is reused by the next read.
    carry = Buffer.from(data.subarray(start));
    carryStart += start;
  }
}

/** The first line start at or after `offset` (the file's size when there is none). */
function lineStartFrom(fd: number, offset: number, size: number): number {
  if (offset === 0) return 0;
  const buffer = Buffer.allocUnsafe(64 << 10);
  for (let position = offset - 1; position < size; position += buffer.length) {
    const read = readSync(fd, buffer, 0, buffer.length, position);
    const nl = buffer.subarray(0, read).indexOf(NEWLINE);
    if (nl >= 0) return position + nl + 1;
  }
  return size;
}

/**
 * The slices of the cohort's files: `parts` per file of at least 8 MiB, one per smaller file (and one for
 * a file that cannot be opened: reading it reports it, in file order).
 * @param paths - the `.ndjson` files, in cohort order
 * @param parts - how many threads will index them
 */
export function slicesOf(paths: readonly string[], parts: number): Slice[] {
  return paths.flatMap((path, file) => {
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch {
      return [{ path, file, from: 0, to: 0 }];
    }
    try {
      const size = fstatSync(fd).size;
      const count = size < SLICE_MIN_BYTES ? 1 : parts;
      const starts = Array.from({ length: count }, (_, i) => lineStartFrom(fd, Math.floor((size * i) / count), size));
      return starts.map((from, i) => ({ path, file, from, to: starts[i + 1] ?? size })).filter((s, i) => i === 0 || s.to > s.from);
    } finally {
      closeSync(fd);
    }
  });
}

/** The problem with one line, or the patient it belongs to (undefined: a shared or ignored resource). */
function readLine(text: string, onShared: (resource: Resource) => void): { readonly problem: string } | { readonly patientId?: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { problem: 'not valid JSON' };
  }
  const type = isRecord(value) ? value['resourceType'] : undefined;
  if (!isRecord(value) || typeof type !== 'string') return { problem: 'not a FHIR resource (no resourceType)' };
  const role = roleOf(type);
  if (role === 'shared') onShared(value as unknown as Resource);
  if (role === 'shared' || role === 'ignored') return {};
  const patientId = patientIdOf(value);
  if (patientId === undefined) return { problem: role === 'patient' ? 'Patient has no id' : `${type} has no subject reference to a Patient (subject.reference)` };
  return { patientId };
}

/**
 * Checks and indexes one slice: every non-blank line must be a FHIR resource; a patient's lines are
 * recorded as byte ranges (a line right after the previous line of the same patient extends its range).
 * A file that cannot be opened or read (a directory, an I/O error) is reported in the result, not thrown,
 * so the first problem in file order is the one reported, whatever thread met it.
 * @param slice - from {@link slicesOf}
 */
export function indexSlice(slice: Slice): SliceIndex {
  const unreadable: SliceIndex = { ranges: [], shared: [], lines: 0, error: { unreadable: true } };
  let fd: number;
  try {
    fd = openSync(slice.path, 'r');
  } catch {
    return unreadable;
  }
  const ranges = new Map<string, number[]>();
  const shared: Resource[] = [];
  let lines = 0;
  let error: SliceIndex['error'];
  let previous: number[] | undefined;
  try {
    scanLines(fd, slice.from, slice.to, (text, start, end) => {
      lines += 1;
      if (text.trim() === '') return true;
      const line = readLine(text, (resource) => shared.push(resource));
      if ('problem' in line) {
        error = { line: lines, problem: line.problem };
        return false;
      }
      if (line.patientId === undefined) {
        previous = undefined;
        return true;
      }
      let own = ranges.get(line.patientId);
      if (own === undefined) ranges.set(line.patientId, (own = []));
      if (own === previous && own[own.length - 1] === start - 1) own[own.length - 1] = end;
      else own.push(slice.file, start, end);
      previous = own;
      return true;
    });
  } catch {
    return unreadable;
  } finally {
    closeSync(fd);
  }
  return { ranges: [...ranges], shared, lines, ...(error === undefined ? {} : { error }) };
}
