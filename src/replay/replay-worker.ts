/**
 * A replay worker thread: replays each patient it is sent under the two configurations the main thread
 * loaded (replay-pool.ts), answering in the order received.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { deepFreeze } from '../config/deep-freeze.js';
import { parsePatient, type RawPatient } from './raw-patient.js';
import type { WorkerData } from './replay-pool.js';
import { replayPatient } from './replay-patient.js';

// Frozen again after the clone, as loaded: a mutation throws here as it would in one thread.
const { proposed, baseline, shared } = deepFreeze(workerData as WorkerData);

parentPort?.on('message', (message: { readonly seq: number; readonly raw: RawPatient }) => {
  try {
    const patient = parsePatient(message.raw, shared);
    parentPort?.postMessage({ seq: message.seq, replay: replayPatient(patient.patientId, patient.resources, baseline, proposed) });
  } catch (error) {
    parentPort?.postMessage({ seq: message.seq, error: error instanceof Error ? error.message : 'failed' });
  }
});
