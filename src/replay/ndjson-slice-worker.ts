/**
 * An indexing worker thread of the NDJSON first pass: indexes each slice it is sent (ndjson-slices.ts).
 */
import { parentPort } from 'node:worker_threads';
import { indexSlice, type Slice } from './ndjson-slices.js';

parentPort?.on('message', (message: { readonly at: number; readonly slice: Slice }) => {
  try {
    parentPort?.postMessage({ at: message.at, index: indexSlice(message.slice) });
  } catch (error) {
    parentPort?.postMessage({ at: message.at, error: error instanceof Error ? error.message : 'failed' });
  }
});
