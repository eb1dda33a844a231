/**
 * A worker thread running one of the replay's worker modules: from the sources (through tsx, as
 * bin/crs-cds.mjs does) or from the build.
 */
import { Worker } from 'node:worker_threads';

/**
 * @param module - the module, relative to this directory, without extension
 * @param workerData - what the worker starts with (cloned)
 */
export function startWorker(module: './replay-worker' | './ndjson-slice-worker', workerData: unknown): Worker {
  const source = import.meta.url.endsWith('.ts');
  const url = new URL(`${module}${source ? '.ts' : '.js'}`, import.meta.url).href;
  const code = source
    ? `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then(({ register }) => { register(); return import(${JSON.stringify(url)}); })`
    : `import(${JSON.stringify(url)})`;
  return new Worker(code, { eval: true, workerData });
}
