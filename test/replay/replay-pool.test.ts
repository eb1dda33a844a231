/** The worker pool of `crs-cds replay`: a worker that cannot start stops the replay with one line. */
import { expect, test } from 'vitest';
import { CohortError } from '../../src/replay/cohort-error.js';
import { loadReplayConfig } from '../../src/replay/replay-config.js';
import { replayCohort } from '../../src/replay/replay-pool.js';

test('a worker that cannot load its configuration (the file is gone) stops the replay with a CohortError naming it', async () => {
  const defaults = loadReplayConfig('--config', undefined);
  const cohort = {
    format: 'bundle' as const,
    size: 1,
    shared: [],
    *patients() {
      yield { kind: 'bundle' as const, name: 'p1.json', text: '{}' };
    },
    close: () => undefined,
  };
  const seen: unknown[] = [];
  const run = replayCohort(cohort, { proposed: defaults, baseline: defaults, proposedFile: '/nonexistent/proposed.yaml' }, 2, (r) => seen.push(r));
  await expect(run).rejects.toThrow(CohortError);
  await expect(run).rejects.toThrow(/^a replay worker stopped: .*--config \/nonexistent\/proposed\.yaml: file not found/);
  expect(seen).toEqual([]);
}, 60_000);
