/**
 * Replays a cohort's patients in cohort order, on worker threads (one per core by default: the patients
 * are independent) or in this thread. At most two patients per worker are in flight and results are
 * written in cohort order as soon as they are next, so memory stays bounded whatever the cohort size.
 */
import type { Worker } from 'node:worker_threads';
import type { Resource } from 'fhir/r4.js';
import { CohortError } from './cohort-error.js';
import { parsePatient, type RawPatient } from './raw-patient.js';
import type { Cohort } from './read-cohort.js';
import { replayPatient, type PatientReplay, type ReplayConfig } from './replay-patient.js';
import { startWorker } from './start-worker.js';

/**
 * The configurations, as loaded and validated here. The workers get these objects (cloned), not the
 * files: they load nothing, so they start quickly, hold no loader or schema, and a file changed during the
 * replay changes nothing.
 */
export interface PoolConfigs {
  readonly proposed: ReplayConfig;
  readonly baseline: ReplayConfig;
}

/** What each worker starts with. */
export interface WorkerData {
  readonly proposed: ReplayConfig;
  readonly baseline: ReplayConfig;
  /** Resources every patient gets (NDJSON Medications). */
  readonly shared: readonly Resource[];
}

type Answer = { readonly seq: number; readonly replay: PatientReplay } | { readonly seq: number; readonly error: string };

/**
 * @param cohort - the opened cohort
 * @param configs - both configurations
 * @param workers - worker threads; 1 replays in this thread
 * @param onPatient - called with each patient's replay, in cohort order
 * @throws CohortError for the first bad patient (the replay stops)
 */
export async function replayCohort(cohort: Cohort, configs: PoolConfigs, workers: number, onPatient: (replay: PatientReplay) => void): Promise<void> {
  if (workers <= 1) {
    for (const raw of cohort.patients()) {
      const patient = parsePatient(raw, cohort.shared);
      onPatient(replayPatient(patient.patientId, patient.resources, configs.baseline, configs.proposed));
    }
    return;
  }
  const workerData: WorkerData = { proposed: configs.proposed, baseline: configs.baseline, shared: cohort.shared };
  const pool = Array.from({ length: workers }, () => startWorker('./replay-worker', workerData));
  const inFlight = pool.map(() => 0);
  try {
    await new Promise<void>((resolve, reject) => {
      const source = cohort.patients();
      const done = new Map<number, PatientReplay>();
      let sent = 0;
      let written = 0;
      let exhausted = false;
      const fail = (error: unknown): void => reject(error instanceof Error ? error : new Error(String(error)));
      const feed = (): void => {
        try {
          while (!exhausted) {
            const idle = inFlight.findIndex((n) => n < 2);
            if (idle < 0) return;
            const next = source.next();
            if (next.done === true) {
              exhausted = true;
              break;
            }
            inFlight[idle] = (inFlight[idle] ?? 0) + 1;
            (pool[idle] as Worker).postMessage({ seq: sent++, raw: next.value satisfies RawPatient });
          }
          if (written === sent) resolve();
        } catch (error) {
          fail(error);
        }
      };
      pool.forEach((worker, index) => {
        // A worker that stopped (it could not start): one line, no stack.
        worker.on('error', (error) => fail(new CohortError(`a replay worker stopped: ${error.message.split('\n')[0] ?? 'failed'}`)));
        // A worker that ends without an error event must not leave the replay waiting (after it, a no-op).
        worker.on('exit', (code) => fail(new CohortError(`a replay worker stopped (exit code ${code})`)));
        worker.on('message', (answer: Answer) => {
          inFlight[index] = (inFlight[index] ?? 1) - 1;
          if ('error' in answer) return fail(new CohortError(answer.error));
          done.set(answer.seq, answer.replay);
          for (let replay = done.get(written); replay !== undefined; replay = done.get(written)) {
            done.delete(written);
            written += 1;
            onPatient(replay);
          }
          feed();
        });
      });
      feed();
    });
  } finally {
    await Promise.all(pool.map((worker) => worker.terminate()));
  }
}
