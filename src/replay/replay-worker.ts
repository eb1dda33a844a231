/**
 * A replay worker thread: loads both configurations as the main thread did, then parses and replays
 * each patient it is sent, answering in the order received (replay-pool.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Resource } from 'fhir/r4.js';
import { parsePatient, type RawPatient } from './raw-patient.js';
import { loadReplayConfig } from './replay-config.js';
import { replayPatient } from './replay-patient.js';

const data = workerData as { readonly proposed: string; readonly baseline?: string; readonly shared: readonly Resource[] };
const proposed = loadReplayConfig('--config', data.proposed);
const baseline = loadReplayConfig('--baseline', data.baseline);

parentPort?.on('message', (message: { readonly seq: number; readonly raw: RawPatient }) => {
  try {
    const patient = parsePatient(message.raw, data.shared);
    parentPort?.postMessage({ seq: message.seq, replay: replayPatient(patient.patientId, patient.resources, baseline, proposed) });
  } catch (error) {
    parentPort?.postMessage({ seq: message.seq, error: error instanceof Error ? error.message : 'failed' });
  }
});
