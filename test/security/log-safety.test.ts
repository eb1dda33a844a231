import { describe, expect, test } from 'vitest';
import { hashPatientRef } from '../../src/auth/log-safety.js';

describe('hashPatientRef', () => {
  test('is stable within a process and hides the reference', () => {
    const hash = hashPatientRef('Patient/pat-123');
    expect(hash).toBe(hashPatientRef('Patient/pat-123'));
    expect(hash).toMatch(/^[0-9a-f]{16}$/);
    expect(hash).not.toContain('pat-123');
    expect(hashPatientRef('Patient/pat-124')).not.toBe(hash);
  });

  test('depends on the key, so hashes cannot be precomputed across processes', () => {
    const ref = 'Patient/pat-123';
    expect(hashPatientRef(ref, Buffer.alloc(32, 1))).not.toBe(hashPatientRef(ref, Buffer.alloc(32, 2)));
    expect(hashPatientRef(ref, Buffer.alloc(32, 1))).toBe(hashPatientRef(ref, Buffer.alloc(32, 1)));
  });
});
