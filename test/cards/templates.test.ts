import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { fill, fillMarkdown, fitSummary } from '../../src/recommend/render-template.js';
import { CARD_TEMPLATE_SPECS, PHRASE_SPECS, type CardTemplateId, type PhraseKey } from '../../src/recommend/template-catalog.js';
import { loadCardTemplates, TemplateError } from '../../src/recommend/templates.js';

/** Realistic, long-ish values for every placeholder a card or phrase may use. */
const VALUES: Record<string, string> = {
  grade: '3',
  findings: '39.4 °C, on norepinephrine + vasopressin, high-flow O2',
  plan: 'tocilizumab 800 mg + dexamethasone 10 mg IV every 6 h recommended',
  evidence: '**Evidence** (last 24 h)\n- Fever: 39.4 °C',
  orders: '- **Tocilizumab 800 mg IV** over 60 min',
  notes: '**Data notes**\n- Ignored temperature 52 Cel: implausible value',
  lookbackHours: '24',
  gap: 'no countable temperature in 24 h',
  gapDetail: 'no countable temperature in the last 24 h (status entered-in-error, unit not understood)',
  current: 'methylprednisolone 1000 mg at 2026-11-21 08:00 UTC',
  exposure: '187.5',
  regimen: 'dexamethasone 10 mg IV every 6 h',
  orderId: 'draft-123456',
  order: 'Order draft-123456 (being signed)',
  selected: 'selected',
  orderedMg: '1200',
  doseMg: '800',
  basis: 'maximum dose 800 mg; 120 kg, weighed 2026-11-20 07:00 UTC',
  maxDoseMg: '800',
  tolerancePercent: '10',
  weightMaxAgeDays: '30',
  reasons: '3 doses in the last 24 h (max 3); last dose 2026-11-21 06:30 UTC, less than 8 h ago',
  next: 'Next dose allowed from 2026-11-21 14:30 UTC',
  nextLine: '- Next line: corticosteroids',
  history: 'Tocilizumab doses charted: 3 doses in the last 24 h, 3 doses this episode, last 2026-11-21 06:30 UTC (on hold).',
  drug: 'methylprednisolone',
  reminder: 'Corticosteroids may blunt CAR-T efficacy: use them for CRS only when the grade calls for it.',
  bundleGrade: '4',
  care: '- ICU care; mechanical ventilation as needed.',
};

const PHRASE_VALUE = 'x';
const fresh: string[] = [];

function siteDir(files: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), 'crs-cards-'));
  fresh.push(dir);
  for (const [name, body] of Object.entries(files)) {
    writeFileSync(join(dir, name), typeof body === 'string' ? body : JSON.stringify(body));
  }
  return dir;
}

function builtIn(id: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`../../cards/${id}.json`, import.meta.url), 'utf8')) as Record<string, unknown>;
}

function problemsOf(run: () => unknown): readonly string[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(TemplateError);
    return (error as TemplateError).problems;
  }
  throw new Error('expected a TemplateError');
}

afterEach(() => {
  for (const dir of fresh.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('built-in card templates', () => {
  const templates = loadCardTemplates();

  test.each(Object.keys(CARD_TEMPLATE_SPECS) as CardTemplateId[])('%s renders with fixture values', (id) => {
    const template = templates.cards[id];
    const summary = fill(template.summary, VALUES, id);
    const short = template.summaryShort === undefined ? summary : fill(template.summaryShort, VALUES, id);
    const detail = fillMarkdown(template.detail, VALUES, id);
    // The long fixture summary may exceed 140 characters; the short form then must not.
    expect(Math.min(summary.length, short.length)).toBeLessThan(140);
    expect(`${summary}${short}${detail}`).not.toContain('{{');
    expect(template.source.label).toMatch(/ASTCT 2019/);
    expect(template.indicator).toBe(CARD_TEMPLATE_SPECS[id].indicator);
    expect(template.links?.[0]?.url).toBe('https://doi.org/10.1016/j.bbmt.2018.12.758');
  });

  test.each(Object.keys(PHRASE_SPECS) as PhraseKey[])('phrase %s renders with every placeholder filled', (key) => {
    const values = Object.fromEntries(PHRASE_SPECS[key].map((p) => [p, PHRASE_VALUE]));
    const text = fill(templates.phrases[key], values, key);
    expect(text).not.toContain('{{');
    expect(text.trim()).not.toBe('');
  });

  test('actionable cards carry coded override reasons, each with a display', () => {
    for (const id of ['crs-grade-1', 'crs-grade-2', 'crs-grade-3', 'crs-grade-4', 'crs-os-dose', 'crs-os-limit'] as const) {
      const reasons = templates.cards[id].overrideReasons ?? [];
      expect(reasons.length).toBeGreaterThan(0);
      for (const r of reasons) expect(r).toEqual({ system: 'urn:uuid:254860d8-983d-417f-96ad-48bab59e9b20', code: expect.any(String), display: expect.any(String) });
    }
  });

  test('filling never re-expands braces that come from a value', () => {
    expect(fill('a {{x}} b', { x: '{{y}}' }, 'test')).toBe('a {{y}} b');
  });

  test('a line that is only an empty placeholder disappears from markdown', () => {
    expect(fillMarkdown('A\n{{orders}}\n- b\n\n{{notes}}', { orders: '', notes: '' }, 'test')).toBe('A\n- b');
  });

  test('fitSummary picks the first candidate under 140 characters, else cuts the last with an ellipsis', () => {
    expect(fitSummary(['x'.repeat(140), 'short'])).toBe('short');
    const cut = fitSummary(['y'.repeat(200)]);
    expect(cut).toHaveLength(139);
    expect(cut.endsWith('…')).toBe(true);
  });

  test('a missing value is a programming error', () => {
    expect(() => fill('{{x}}', {}, 'card.summary')).toThrow('card.summary: no value for {{x}}');
  });
});

describe('loadCardTemplates with a site directory', () => {
  test('a site template replaces the built-in of the same id', () => {
    const site = { ...builtIn('crs-grade-2'), summary: 'Site wording: CRS grade 2 — {{plan}}' };
    const templates = loadCardTemplates({ overrideDir: siteDir({ 'grade2.json': site }) });
    expect(templates.cards['crs-grade-2'].summary).toBe('Site wording: CRS grade 2 — {{plan}}');
    expect(templates.cards['crs-grade-3'].summary).toBe(builtIn('crs-grade-3')['summary']);
  });

  test('an unknown placeholder is a load error naming the file and field', () => {
    const dir = siteDir({ 'g2.json': { ...builtIn('crs-grade-2'), detail: 'Dose {{dose}} and {{orders}}' } });
    expect(problemsOf(() => loadCardTemplates({ overrideDir: dir }))).toEqual([
      expect.stringMatching(/g2\.json: detail: unknown placeholder \{\{dose\}\}/),
    ]);
  });

  test('a malformed override reason is a load error', () => {
    const dir = siteDir({ 'g2.json': { ...builtIn('crs-grade-2'), overrideReasons: [{ code: 'sepsis' }, 'nope', { code: 'a b', display: 'x' }] } });
    const problems = problemsOf(() => loadCardTemplates({ overrideDir: dir }));
    expect(problems).toEqual([
      expect.stringMatching(/g2\.json: overrideReasons\[0\]\.display: required/),
      expect.stringMatching(/g2\.json: overrideReasons\[1\]: must be an object/),
      expect.stringMatching(/g2\.json: overrideReasons\[2\]\.code: required token/),
    ]);
  });

  test('every problem is listed at once: missing field, wrong indicator, unknown field, unknown id, bad JSON', () => {
    const { summary: _dropped, ...noSummary } = builtIn('crs-grade-3');
    const dir = siteDir({
      'a.json': { ...noSummary, indicator: 'warning', sumary: 'typo' },
      'b.json': { ...builtIn('crs-grade-2'), id: 'crs-grade-9' },
      'c.json': '{ not json',
    });
    const problems = problemsOf(() => loadCardTemplates({ overrideDir: dir }));
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/a\.json: sumary: unknown field/),
        expect.stringMatching(/a\.json: indicator: must be "critical"/),
        expect.stringMatching(/a\.json: summary: required non-empty string/),
        expect.stringMatching(/b\.json: id: unknown template id "crs-grade-9"/),
        expect.stringMatching(/c\.json: not valid JSON/),
      ]),
    );
    expect(problems).toHaveLength(5);
  });

  test('an indicator outside the enum, a bad link and unbalanced braces are load errors', () => {
    const dir = siteDir({
      'g1.json': { ...builtIn('crs-grade-1'), indicator: 'hard-stop', links: [{ label: 'x', url: 'not a url', type: 'smart' }], summary: 'Grade {{grade} — {{plan}}' },
    });
    const problems = problemsOf(() => loadCardTemplates({ overrideDir: dir }));
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/indicator: must be one of info, warning, critical/),
        expect.stringMatching(/links\[0\]\.url: not an absolute URL/),
        expect.stringMatching(/links\[0\]\.type: must be "absolute"/),
        expect.stringMatching(/summary: unbalanced/),
      ]),
    );
  });

  test('a site phrase file must define every phrase with known placeholders', () => {
    const phrases = builtIn('crs-phrases') as { phrases: Record<string, string> };
    const { 'plan.none': _gone, ...rest } = phrases.phrases;
    const dir = siteDir({ 'p.json': { id: 'crs-phrases', phrases: { ...rest, 'plan.tocilizumab': 'toci {{dose}} mg', 'plan.extra': 'x' } } });
    const problems = problemsOf(() => loadCardTemplates({ overrideDir: dir }));
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/p\.json: phrases\.plan\.extra: unknown phrase/),
        expect.stringMatching(/p\.json: phrases\.plan\.tocilizumab: unknown placeholder \{\{dose\}\}/),
        expect.stringMatching(/p\.json: phrases\.plan\.none: required non-empty string/),
      ]),
    );
  });

  test('a missing site directory is a load error', () => {
    expect(problemsOf(() => loadCardTemplates({ overrideDir: join(tmpdir(), 'crs-cards-does-not-exist') }))).toEqual([
      expect.stringMatching(/directory not found/),
    ]);
  });
});
