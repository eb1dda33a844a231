/**
 * Name-based UUIDs (RFC 9562 version 5) for card and suggestion uuids where the output must be
 * reproducible: the same seed yields the same sequence of ids.
 */
import { createHash } from 'node:crypto';

/** A fixed namespace for crs-cds ids (a random v4 uuid chosen once). */
const NAMESPACE = Buffer.from('6f1c3b8e5a2d4c7f9e0b1a2c3d4e5f60', 'hex');

/**
 * @param seed - what the ids are derived from (e.g. the input and the evaluation time)
 * @returns a generator of UUID v5 strings: the n-th call gives the uuid of `seed#n`
 */
export function deterministicIds(seed: string): () => string {
  const seedDigest = createHash('sha256').update(seed).digest('hex');
  let counter = 0;
  return () => uuidV5(`${seedDigest}#${counter++}`);
}

function uuidV5(name: string): string {
  const bytes = createHash('sha1').update(NAMESPACE).update(name).digest().subarray(0, 16);
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x50; // version 5
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80; // RFC 4122 variant
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
