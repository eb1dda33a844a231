/**
 * Vitest global setup: opens the suite-wide file of emitted FHIR resources (emitted-resources.ts) and,
 * after the last test, validates every distinct resource in it with @medplum/core `validateResource`
 * (R4 StructureDefinitions), the official R4 `fhir.schema.json` and the FHIR JSON rule. Any invalid
 * resource fails the run, naming the test that emitted it and every problem.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EMITTED_RESOURCES_ENV, type EmittedResource } from './emitted-resources.js';
import { fhirProblems } from './fhir-validators.js';

/**
 * The problems of every distinct recorded resource, one entry per invalid resource.
 * @param text - the recorded file (JSON lines)
 * @returns the number of distinct resources validated and the failures
 */
export function validateEmitted(text: string): { readonly distinct: number; readonly failures: string[] } {
  const seen = new Map<string, EmittedResource>();
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const entry = JSON.parse(line) as EmittedResource;
    const key = JSON.stringify(entry.resource);
    if (!seen.has(key)) seen.set(key, entry);
  }
  const failures: string[] = [];
  for (const entry of seen.values()) {
    const problems = fhirProblems(entry.resource);
    if (problems.length > 0) failures.push(`${entry.test} (${entry.where}):\n    ${problems.join('\n    ')}`);
  }
  return { distinct: seen.size, failures };
}

/** Global setup: returns the teardown that validates. */
export default function setup(): () => void {
  const file = join(mkdtempSync(join(tmpdir(), 'crs-suite-emitted-')), 'emitted.jsonl');
  writeFileSync(file, '');
  process.env[EMITTED_RESOURCES_ENV] = file;
  return () => {
    const text = readFileSync(file, 'utf8');
    if (text.trim() === '') return;
    const { distinct, failures } = validateEmitted(text);
    if (failures.length > 0) {
      // vitest reports a teardown error but keeps exit status 0: set it, so CI fails on an invalid resource.
      process.exitCode = 1;
      throw new Error(`FHIR validation: ${failures.length} of ${distinct} distinct emitted resources invalid (${file}):\n${failures.slice(0, 20).join('\n')}`);
    }
    process.stdout.write(`FHIR validation: ${distinct} distinct emitted resources valid (medplum validateResource, fhir.schema.json, JSON rule)\n`);
  };
}
