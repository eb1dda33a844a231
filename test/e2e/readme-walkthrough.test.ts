/**
 * The README's curl walkthrough, run as written (bash, npm, curl) against the real server process
 * grading with the wall clock: it must show what the README promises on whatever day it runs. The
 * expected card is read from the README itself, so the README and the service cannot drift apart.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MedicationRequest } from 'fhir/r4.js';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { assertValidResponse } from '../support/card-invariants.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** The first ```sh block after a heading. */
function shBlockAfter(heading: string): string {
  const section = README.slice(README.indexOf(heading));
  const match = /```sh\n([\s\S]*?)```/.exec(section);
  if (match?.[1] === undefined) throw new Error(`no sh block after ${heading}`);
  return match[1];
}

/** The grade-2 card the README shows: summary, indicator, detail lines and the suggestion button. */
function readmeCard(): { summary: string; indicator: string; detail: string; label: string } {
  const start = README.indexOf('A grade-2 card, as the EHR shows it');
  const lines = README.slice(start).split('\n').slice(1).filter((line, i, all) => all.slice(0, i + 1).every((l) => l === '' || l.startsWith('>')));
  const quoted = lines.filter((line) => line.startsWith('>')).map((line) => line.replace(/^> ?/, ''));
  const head = /^\*\*(.+)\*\* \*\((info|warning|critical)\)\*$/.exec(quoted[0] ?? '');
  const button = /^\[ (.+) \]$/.exec(quoted[quoted.length - 1] ?? '');
  if (head === null || button === null) throw new Error('README card block not recognised');
  return { summary: head[1] as string, indicator: head[2] as string, detail: quoted.slice(1, -1).join('\n').trim(), label: button[1] as string };
}

/** Times shown on cards (`2026-11-21 08:00 UTC`) differ by the day it runs: compared as placeholders. */
const withoutTimes = (text: string): string => text.replace(/\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/g, '<time>');

let server: ServerProcess;
let outputs: { status: number; body: string }[];
let grepped: string;
let baseUrl: string;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'crs-readme-'));
  const config = join(dir, 'site.yaml');
  writeFileSync(config, `storage:\n  sqlitePath: ${JSON.stringify(join(dir, 'feedback.sqlite'))}\n`);
  server = startServerProcess({ CRS_CDS_CONFIG: config });
  baseUrl = await server.baseUrl();
  const base = baseUrl.replace('http://', '');
  // Every curl also prints its status after a marker line; the metrics grep drops its own marker.
  const script = shBlockAfter('## Try it with curl')
    .replaceAll('localhost:3000', base)
    .replaceAll('curl -s ', "curl -s -w '\\n@@@%{http_code}\\n' ");
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile('bash', ['-e', '-o', 'pipefail', '-c', script], { cwd: ROOT, timeout: 60_000 }, (error, out, err) =>
      error === null ? resolve(out) : reject(new Error(`walkthrough failed: ${err}`)),
    );
  });
  const parts = stdout.split(/\n@@@(\d{3})\n/);
  outputs = [];
  for (let i = 0; i + 1 < parts.length; i += 2) outputs.push({ body: parts[i] as string, status: Number(parts[i + 1]) });
  grepped = parts[parts.length - 1] ?? '';
}, 90_000);

afterAll(() => {
  server.child.kill('SIGTERM');
});

describe('the README curl walkthrough, on the day it runs', () => {
  test('runs every call of the walkthrough', () => {
    expect(outputs.map((o) => o.status)).toEqual([200, 200, 200, 200, 200]);
  });

  test('discovery lists the three services', () => {
    const ids = (JSON.parse(outputs[0]?.body ?? '{}') as { services: { id: string }[] }).services.map((s) => s.id);
    expect(ids).toEqual(['crs-patient-view', 'crs-order-select', 'crs-order-sign']);
  });

  test('patient-view answers the grade-2 card the README shows', () => {
    const body = JSON.parse(outputs[1]?.body ?? '{}');
    assertValidResponse(body);
    const expected = readmeCard();
    const [card] = body.cards;
    expect(body.extension['crs-cds.assessment'].grade).toBe(2);
    expect(card.summary).toBe(expected.summary);
    expect(card.indicator).toBe(expected.indicator);
    expect(withoutTimes(card.detail)).toBe(withoutTimes(expected.detail));
    expect(card.suggestions.map((s: { label: string }) => s.label)).toContain(expected.label);
  });

  test('with the default configuration the card links the CRS timeline on the origin called (issue 12)', () => {
    const [card] = JSON.parse(outputs[1]?.body ?? '{}').cards;
    expect(baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(card.links.filter((l: { type: string }) => l.type === 'smart')).toEqual([{ label: 'Open CRS timeline', url: `${baseUrl}/app/launch`, type: 'smart' }]);
  });

  test('order-select answers a warning with the update its comment promises (OS1)', () => {
    const promised = Number(/update to (\d+) mg \(OS1\)/.exec(shBlockAfter('## Try it with curl'))?.[1]);
    const body = JSON.parse(outputs[2]?.body ?? '{}');
    assertValidResponse(body);
    const card = body.cards.find((c: { indicator: string }) => c.indicator === 'warning');
    const update = card?.suggestions?.[0]?.actions?.[0];
    expect(update?.type).toBe('update');
    expect((update?.resource as MedicationRequest).dosageInstruction?.[0]?.doseAndRate?.[0]?.doseQuantity).toMatchObject({ value: promised, unit: 'mg' });
  });

  test('order-sign answers the OS1 warning with its update and the OS4 card its comment promises', () => {
    const promised = Number(/update to (\d+) mg \(OS1\)/.exec(shBlockAfter('## Try it with curl'))?.[1]);
    const body = JSON.parse(outputs[3]?.body ?? '{}');
    assertValidResponse(body);
    expect(body.cards.map((c: { indicator: string }) => c.indicator)).toEqual(['warning', 'info']);
    const update = body.cards[0].suggestions[0].actions[0];
    expect(update.type).toBe('update');
    expect((update.resource as MedicationRequest).dosageInstruction?.[0]?.doseAndRate?.[0]?.doseQuantity).toMatchObject({ value: promised, unit: 'mg' });
    expect(body.cards[1].summary).toMatch(/^Starting norepinephrine makes CRS grade ≥ 3/);
  });

  test('feedback is stored and counted by outcome and override reason', () => {
    expect(grepped).toMatch(/^crs_cds_feedback_total\{service="crs-patient-view",outcome="overridden",reason="alternative-cause"\} 1$/m);
  });
});
