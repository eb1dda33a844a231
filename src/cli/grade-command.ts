/**
 * `crs-cds grade <bundle.json> [--at <ISO-8601>] [--config <file>]` (shared/contract.md): grades one
 * patient's Bundle offline and prints exactly what `crs-patient-view` would answer for that data at
 * that time. Bad input exits 2 with a one-line reason on stderr. Card and suggestion uuids are
 * name-based (UUID v5 of the input), so the same input prints the same output.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadConfigFile } from '../config/load-config.js';
import { buildRuntime } from '../engine/build-runtime.js';
import { deterministicIds } from '../engine/deterministic-ids.js';
import { bundleResources, onlyPatientId } from './bundle-input.js';
import { BadInput, oneLineReason, type CliIo } from './io.js';

/**
 * @param args - the arguments after `grade`
 * @param io - where to print
 * @returns the exit status: 0, or 2 for bad input
 */
export async function runGrade(args: readonly string[], io: CliIo): Promise<number> {
  try {
    const { bundlePath, at, configPath } = parseGradeArgs(args);
    const bundleText = readInput(bundlePath);
    const resources = bundleResources(parseJson(bundleText, bundlePath));
    const patientId = onlyPatientId(resources, 'grade');
    const config = loadConfigFile(configPath);
    const runtime = buildRuntime(config, { newId: deterministicIds(`${bundleText}\n${at.toISOString()}`) });
    const service = runtime.services.find((s) => s.hook === 'patient-view');
    if (service === undefined) throw new BadInput('the patient-view service is disabled in the configuration');
    const response = runtime.evaluate({ service, context: { patientId }, resources, evaluatedAt: at });
    io.stdout.write(`${JSON.stringify(response, null, 2)}\n`);
    return 0;
  } catch (error) {
    io.stderr.write(`crs-cds grade: ${oneLineReason(error)}\n`);
    return 2;
  }
}

function parseGradeArgs(args: readonly string[]): { bundlePath: string; at: Date; configPath?: string } {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: { at: { type: 'string' }, config: { type: 'string' } },
    });
  } catch (error) {
    throw new BadInput(error instanceof Error ? error.message : 'invalid arguments');
  }
  const [bundlePath, ...extra] = parsed.positionals;
  if (bundlePath === undefined) throw new BadInput('usage: crs-cds grade <bundle.json> [--at <ISO-8601 time>] [--config <file>]');
  if (extra.length > 0) throw new BadInput(`unexpected argument: ${extra[0]}`);
  const at = parsed.values.at === undefined ? new Date() : parseInstant(parsed.values.at);
  return { bundlePath, at, ...(parsed.values.config === undefined ? {} : { configPath: parsed.values.config }) };
}

/** --at must carry a date, a time and an offset, so the evaluation time is never ambiguous. */
function parseInstant(text: string): Date {
  const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
  const at = new Date(text);
  if (!iso.test(text) || Number.isNaN(at.getTime())) {
    throw new BadInput(`--at must be an ISO-8601 time with an offset, e.g. 2026-11-21T10:00:00Z (got "${text}")`);
  }
  return at;
}

function readInput(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    throw new BadInput(`cannot read ${path}`);
  }
}

function parseJson(text: string, path: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new BadInput(`${path} is not valid JSON`);
  }
}
