/**
 * Every FHIR resource the suite emits (draft orders inside suggestions, OperationOutcomes of error
 * answers, shipped examples) is appended to one file for the whole run; the global teardown
 * (emitted-resources-scan.ts) validates each distinct one with two independent FHIR R4 validators.
 * Validating there, once, costs their few seconds of loading once per run instead of once per test file.
 */
import { appendFileSync } from 'node:fs';
import { expect } from 'vitest';

/** Set by the global setup for the whole run; absent when a test file runs outside vitest's setup. */
export const EMITTED_RESOURCES_ENV = 'CRS_CDS_SUITE_EMITTED';

/** One recorded resource: what emitted it, in which test, and the resource as serialised. */
export interface EmittedResource {
  readonly where: string;
  readonly test: string;
  readonly resource: unknown;
}

function currentTest(): string {
  try {
    const state = expect.getState();
    const file = (state.testPath ?? '').replace(/^.*\/test\//, 'test/');
    return [file, state.currentTestName].filter((part) => part !== undefined && part !== '').join(' > ');
  } catch {
    return 'outside a test';
  }
}

/**
 * Records one emitted resource for the end-of-run validation.
 * @param resource - the resource as it was (or would be) sent
 * @param where - what emitted it (e.g. `POST /cds-services/crs-order-select 200: suggestion action`)
 */
export function recordEmittedResource(resource: unknown, where: string): void {
  const file = process.env[EMITTED_RESOURCES_ENV];
  if (file === undefined || file === '') return;
  const line: EmittedResource = { where, test: currentTest(), resource };
  appendFileSync(file, `${JSON.stringify(line)}\n`);
}

/**
 * Records every resource a CDS Hooks response carries in its actions (cards' suggestions and systemActions).
 * @param response - a hook response body
 * @param where - what emitted it
 */
export function recordResponseResources(response: unknown, where: string): void {
  const body = response as { cards?: unknown; systemActions?: unknown } | null;
  const actionsOf = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
  const cards = actionsOf(body?.cards) as { suggestions?: unknown }[];
  const actions = [
    ...cards.flatMap((card) => actionsOf(card?.suggestions).flatMap((s) => actionsOf((s as { actions?: unknown } | null)?.actions))),
    ...actionsOf(body?.systemActions),
  ];
  actions.forEach((action) => {
    const resource = (action as { resource?: unknown } | null)?.resource;
    if (resource !== undefined) recordEmittedResource(resource, `${where}: ${String((action as { type?: unknown }).type)} action`);
  });
}
