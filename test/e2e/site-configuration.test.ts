/**
 * A site's configuration changes what the running service answers (issue 5), through the real app:
 * a changed threshold changes the grade (H1), a card template from the site's directory replaces
 * the built-in card of the same id, and the override reasons carry the site's code system.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import request from 'supertest';
import { describe, expect, test } from 'vitest';
import { parseConfig } from '../../src/config/load-config.js';
import { buildRuntime } from '../../src/engine/build-runtime.js';
import { createApp } from '../../src/protocol/app.js';
import { openSqliteFeedbackStore } from '../../src/storage/sqlite-feedback-store.js';
import { assertValidResponse } from '../support/card-invariants.js';
import { memoryLogger } from '../support/hook-requests.js';

const EXAMPLES = fileURLToPath(new URL('../../examples/', import.meta.url));
const gradeTwoCall = JSON.parse(readFileSync(join(EXAMPLES, 'requests/patient-view-grade-2.json'), 'utf8'));

async function answerWith(site: unknown): Promise<any> {
  const runtime = buildRuntime(parseConfig(site, { baseDir: EXAMPLES }));
  const app = createApp({
    runtime: () => runtime,
    logger: memoryLogger().logger,
    feedbackStore: openSqliteFeedbackStore(':memory:'),
    now: () => new Date('2026-11-21T10:00:00Z'),
  });
  const res = await request(app).post('/cds-services/crs-patient-view').send(gradeTwoCall).expect(200);
  assertValidResponse(res.body);
  return res.body;
}

describe('site configuration end to end', () => {
  test('a lower SBP threshold makes SBP 84 no longer hypotension: grade 2 becomes grade 1 (H1)', async () => {
    const builtIn = await answerWith({});
    const site = await answerWith({ grading: { sbpBelow: 80 } });
    expect(builtIn.extension['crs-cds.assessment'].grade).toBe(2);
    expect(site.extension['crs-cds.assessment'].grade).toBe(1);
    expect(site.cards[0].indicator).toBe('info');
  });

  test("the site's grade-2 template replaces the built-in card's source and links", async () => {
    const builtIn = await answerWith({});
    const site = await answerWith({ cards: { directory: 'site-cards' } });
    expect(builtIn.cards[0].source.label).toBe('crs-cds · ASTCT 2019 CRS grading');
    expect(site.cards[0].source).toEqual({
      label: 'St. Example CRS protocol (ASTCT 2019 grading)',
      url: 'https://intranet.example-hospital.org/protocols/crs',
    });
    expect(site.cards[0].links[0].label).toBe('St. Example CAR-T toxicity protocol');
    expect(site.cards[0].summary).toBe(builtIn.cards[0].summary); // wording untouched by this override
  });

  test('a site template with its own summary wording shows that wording', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crs-site-cards-'));
    const template = JSON.parse(readFileSync(join(EXAMPLES, 'site-cards/crs-grade-2.json'), 'utf8'));
    writeFileSync(join(dir, 'crs-grade-2.json'), JSON.stringify({ ...template, summary: 'CRS grade 2 per site protocol: {{plan}}' }));
    const site = await answerWith({ cards: { directory: dir } });
    expect(site.cards[0].summary).toBe('CRS grade 2 per site protocol: tocilizumab 558 mg recommended');
  });

  test('cards.overrideReasonSystem names the code system of the override reasons (default: the project URN)', async () => {
    const systems = (body: any): string[] => [...new Set<string>(body.cards[0].overrideReasons.map((r: { system: string }) => r.system))];
    expect(systems(await answerWith({}))).toEqual(['urn:uuid:254860d8-983d-417f-96ad-48bab59e9b20']);
    const site = await answerWith({ cards: { overrideReasonSystem: 'https://hospital.example.org/cds/override-reason' } });
    expect(systems(site)).toEqual(['https://hospital.example.org/cds/override-reason']);
  });
});
