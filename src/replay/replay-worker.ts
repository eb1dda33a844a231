/**
 * A replay worker thread: replays each patient it is sent under the two configurations the main thread
 * loaded (replay-pool.ts), answering in the order received.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { parsePatient, type RawPatient } from './raw-patient.js';
import type { WorkerData } from './replay-pool.js';
import { replayPatient } from './replay-patient.js';

// Not frozen again after the clone: frozen objects cost about 3 % of a replay here. A mutation would still
// throw with `--workers 1`, where the loaded (frozen) configurations are used, and the tests compare both.
const { proposed, baseline, shared } = workerData as WorkerData;

parentPort?.on('message', (message: { readonly seq: number; readonly raw: RawPatient }) => {
  try {
    const patient = parsePatient(message.raw, shared);
    parentPort?.postMessage({ seq: message.seq, replay: replayPatient(patient.patientId, patient.resources, baseline, proposed) });
  } catch (error) {
    parentPort?.postMessage({ seq: message.seq, error: error instanceof Error ? error.message : 'failed' });
  }
});
