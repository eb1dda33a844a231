/**
 * The shipped example requests give the README's answers on any date: `npm run example` moves their
 * times from the anchor they are written for to now (scripts/shift-times.ts), and the service, grading
 * at that moment, answers exactly what it answers at the anchor.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import request from 'supertest';
import { describe, expect, test } from 'vitest';
import { buildRuntime } from '../../src/engine/build-runtime.js';
import { createApp } from '../../src/protocol/app.js';
import { openSqliteFeedbackStore } from '../../src/storage/sqlite-feedback-store.js';
import { EXAMPLE_ANCHOR, relativeTo, shiftTimes } from '../../scripts/shift-times.js';
import { assertValidResponse } from '../support/card-invariants.js';
import { memoryLogger, testConfig } from '../support/hook-requests.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const example = (name: string): unknown => JSON.parse(readFileSync(`${ROOT}examples/requests/${name}.json`, 'utf8'));

describe('shiftTimes', () => {
  test.each([
    ['an instant in UTC', '2026-11-21T08:00:00Z', '2026-11-21T09:30:00Z'],
    ['minutes only', '2026-11-21T08:00Z', '2026-11-21T09:30:00Z'],
    ['an offset', '2026-11-21T09:00:00+01:00', '2026-11-21T09:30:00Z'],
    ['fractions of a second', '2026-11-21T08:00:00.250Z', '2026-11-21T09:30:00.250Z'],
    ['across a day, month and year end', '2026-12-31T23:00:00Z', '2027-01-01T00:30:00Z'],
  ])('moves %s', (_name, from, to) => {
    expect(shiftTimes({ at: from }, 90 * 60_000)).toEqual({ at: to });
  });

  test.each([
    ['a date without a time (birthDate)', '1970-01-01'],
    ['a time without a zone (never guessed)', '2026-11-21T08:00:00'],
    ['an ordinary string', 'axicabtagene ciloleucel (Yescarta)'],
    ['a number', 38.9],
  ])('leaves %s as it is', (_name, value) => {
    expect(shiftTimes({ value, list: [value] }, 90 * 60_000)).toEqual({ value, list: [value] });
  });

  test('relativeTo moves the anchor to the minute of now: card times stay round', () => {
    expect(relativeTo({ at: EXAMPLE_ANCHOR.toISOString() }, new Date('2027-03-14T02:30:59.999Z'))).toEqual({ at: '2027-03-14T02:30:00Z' });
  });
});

/** The example as `npm run example` would print it at `now`, answered by the real engine at `now`. */
async function answerAt(name: string, service: string, now: Date): Promise<any> {
  const runtime = buildRuntime(testConfig());
  const app = createApp({ runtime: () => runtime, logger: memoryLogger().logger, feedbackStore: openSqliteFeedbackStore(':memory:'), now: () => now });
  const res = await request(app).post(`/cds-services/${service}`).send(relativeTo(example(name), now) as object);
  expect(res.status).toBe(200);
  assertValidResponse(res.body);
  return res.body;
}

const DATES = [EXAMPLE_ANCHOR, new Date(), new Date('2027-03-14T02:30:17Z'), new Date('2028-02-29T23:59:59Z'), new Date('2031-12-31T23:30:00Z')];

describe('on any date', () => {
  test.each(DATES)('patient-view-grade-2 at %s: grade 2 and the README\'s card', async (now) => {
    const body = await answerAt('patient-view-grade-2', 'crs-patient-view', now);
    expect(body.extension['crs-cds.assessment'].grade).toBe(2);
    expect(body.cards[0].summary).toBe('CRS grade 2 (ASTCT): 38.9 °C, SBP 84 — tocilizumab 558 mg recommended');
    expect(body.cards[0].detail).toContain('day +3 after axicabtagene ciloleucel');
  });

  test.each(DATES)('order-select-tocilizumab-900mg at %s: a warning with an update to 558 mg (OS1)', async (now) => {
    const body = await answerAt('order-select-tocilizumab-900mg', 'crs-order-select', now);
    const update = body.cards.find((c: { indicator: string }) => c.indicator === 'warning')?.suggestions?.[0]?.actions?.[0];
    expect(update?.type).toBe('update');
    expect(update?.resource?.dosageInstruction?.[0]?.doseAndRate?.[0]?.doseQuantity?.value).toBe(558);
  });

  test.each(DATES)('order-sign-tocilizumab-norepinephrine at %s: both orders checked, OS1 with an update to 558 mg and OS4', async (now) => {
    const body = await answerAt('order-sign-tocilizumab-norepinephrine', 'crs-order-sign', now);
    expect(body.cards.map((c: { indicator: string }) => c.indicator)).toEqual(['warning', 'info']);
    expect(body.cards[0].suggestions[0].actions[0].resource.dosageInstruction[0].doseAndRate[0].doseQuantity.value).toBe(558);
    expect(body.cards[1].summary).toMatch(/^Starting norepinephrine makes CRS grade ≥ 3/);
  });

  test('unshifted, the grade-2 example is indeterminate a few days later: why the examples are generated', async () => {
    const runtime = buildRuntime(testConfig());
    const app = createApp({ runtime: () => runtime, logger: memoryLogger().logger, feedbackStore: openSqliteFeedbackStore(':memory:'), now: () => new Date('2026-11-30T12:00:00Z') });
    const res = await request(app).post('/cds-services/crs-patient-view').send(example('patient-view-grade-2') as object);
    expect(res.body.extension['crs-cds.assessment'].grade).not.toBe(2);
  });
});

describe('npm run example', () => {
  const run = (args: string[]): Promise<{ code: number; stdout: string; stderr: string }> =>
    new Promise((resolve) => {
      execFile('npm', ['run', '--silent', 'example', ...args], { cwd: ROOT }, (error, stdout, stderr) =>
        resolve({ code: typeof error?.code === 'number' ? error.code : 0, stdout, stderr }),
      );
    });

  test('prints the named example moved to --now', async () => {
    const { code, stdout } = await run(['patient-view-grade-2', '--', '--now', '2027-03-14T02:30:00Z']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual(relativeTo(example('patient-view-grade-2'), new Date('2027-03-14T02:30:00Z')));
  });

  test('refuses an unknown example or a bad --now with exit 2 and a usage line', async () => {
    const unknown = await run(['no-such-example']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^unknown example "no-such-example"\nusage: npm run --silent example </);
    expect((await run(['patient-view-grade-2', '--', '--now', 'tomorrow'])).code).toBe(2);
  });
});
