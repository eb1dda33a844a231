/**
 * The worker pool of `crs-cds replay`: the workers replay with the configurations the main thread loaded
 * and validated (cloned to them), never by reading the files again, and give what one thread gives.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { planCourse } from '../../src/cohort/course-plan.js';
import { courseResources } from '../../src/cohort/course-resources.js';
import type { RawPatient } from '../../src/replay/raw-patient.js';
import { loadReplayConfig } from '../../src/replay/replay-config.js';
import type { PatientReplay } from '../../src/replay/replay-patient.js';
import { replayCohort } from '../../src/replay/replay-pool.js';

const options = { seed: 3, start: new Date('2026-11-01T00:00:00Z'), days: 6 };

/** `size` generated patients as Bundle files' text. */
function cohortOf(size: number) {
  const texts = Array.from({ length: size }, (_, index) =>
    JSON.stringify({ resourceType: 'Bundle', type: 'collection', entry: courseResources(planCourse(options, index), options.seed).map((resource) => ({ resource })) }),
  );
  return {
    format: 'bundle' as const,
    size,
    shared: [],
    *patients(): Generator<RawPatient> {
      for (const [index, text] of texts.entries()) yield { kind: 'bundle', name: `p${index}.json`, text };
    },
    close: () => undefined,
  };
}

test('workers replay with the configuration loaded here: removing its file after loading changes nothing, and 2 workers give what 1 thread gives', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'crs-replay-pool-'));
  try {
    const file = join(dir, 'proposed.yaml');
    writeFileSync(file, 'grading:\n  feverCelsius: 37.5\n  sbpBelow: 100\n');
    const configs = { proposed: loadReplayConfig('--config', file), baseline: loadReplayConfig('--baseline', undefined) };
    rmSync(file);
    const inThread: PatientReplay[] = [];
    await replayCohort(cohortOf(3), configs, 1, (r) => inThread.push(r));
    const onWorkers: PatientReplay[] = [];
    await replayCohort(cohortOf(3), configs, 2, (r) => onWorkers.push(r));
    expect(onWorkers).toEqual(inThread);
    // The proposed configuration (fever 37.5 °C, SBP below 100) did reach the workers: it changes something.
    expect(onWorkers.some((r) => r.changes.length > 0)).toBe(true);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 120_000);
