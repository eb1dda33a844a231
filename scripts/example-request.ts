/**
 * Prints a shipped example request (examples/requests/<name>.json) with its times moved to now, so it
 * gives the README's answers on any date: the examples are written for 2026-11-21T10:00:00Z, and run
 * as they are on another day their data would fall outside the 24-hour window (an indeterminate grade).
 *
 *   npm run --silent example patient-view-grade-2 | curl -s -X POST localhost:3000/cds-services/crs-patient-view \
 *     -H 'Content-Type: application/json' -d @-
 *
 * `-- --now <ISO 8601 time>` moves them to another time instead (npm needs the `--`). Bad arguments exit 2
 * with a reason and a usage line.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { relativeTo } from './shift-times.js';

const directory = new URL('../examples/requests/', import.meta.url);
const names = readdirSync(directory).filter((file) => file.endsWith('.json')).map((file) => file.slice(0, -'.json'.length));

function fail(reason: string): never {
  process.stderr.write(`${reason}\nusage: npm run --silent example <${names.join('|')}> [-- --now <ISO 8601 time>]\n`);
  process.exit(2);
}

const args = process.argv.slice(2);
const [name] = args;
const nowAt = args.indexOf('--now');
const nowText = nowAt >= 0 ? args[nowAt + 1] : undefined;
if (name === undefined || !names.includes(name)) fail(`unknown example "${name ?? ''}"`);
if (nowAt >= 0 && (nowText === undefined || Number.isNaN(Date.parse(nowText)))) fail('--now needs an ISO 8601 time');
const now = nowText === undefined ? new Date() : new Date(nowText);
const request: unknown = JSON.parse(readFileSync(new URL(`${name}.json`, directory), 'utf8'));
process.stdout.write(`${JSON.stringify(relativeTo(request, now), null, 2)}\n`);
