/**
 * The replay decides each hour's card without rendering it (hour-outcome.ts): template, indicator and
 * orders must be those of the card `crs-patient-view` renders (recommendPatientView) at every hour, for
 * the revision 2 scenarios and generated cohort patients, under the defaults and a changed configuration
 * that also shows grade 0 cards.
 */
import type { Resource } from 'fhir/r4.js';
import { describe, expect, test } from 'vitest';
import { planCourse } from '../../src/cohort/course-plan.js';
import { courseResources } from '../../src/cohort/course-resources.js';
import { DEFAULT_CONFIG } from '../../src/config/defaults.js';
import { parseConfig } from '../../src/config/load-config.js';
import type { Config } from '../../src/config/types.js';
import { assessTrajectory } from '../../src/evidence/assess-trajectory.js';
import { cardTemplateId } from '../../src/recommend/build-card.js';
import { recommendPatientView } from '../../src/recommend/recommend-patient-view.js';
import { loadCardTemplates } from '../../src/recommend/templates.js';
import { hourOutcome, ordersOf, type OrdersMemo } from '../../src/replay/hour-outcome.js';
import { SCENARIOS } from '../fixtures/grading/revision-2-scenarios.js';
import { EVALUATED_AT } from '../support/hook-requests.js';

const HOUR_MS = 3_600_000;
const templates = loadCardTemplates();
/** Moves grades (fever 37.5 °C, SBP below 100) and shows grade 0 cards. */
const CHANGED = parseConfig({ grading: { feverCelsius: 37.5, sbpBelow: 100, showGradeZero: true } });

/** Compares the decided outcome with the rendered card at every instant; returns the cards seen by template. */
function expectSameAsRenderedCard(resources: readonly Resource[], instants: readonly number[], config: Config, seen: Set<string>): void {
  // One memo over the trajectory, as the replay keeps it: a plan seen at an earlier instant is not rendered again.
  const memo: OrdersMemo = new Map();
  for (const { at, assessment } of assessTrajectory(resources, instants, config)) {
    if (assessment === null) continue;
    const outcome = hourOutcome(assessment, 'pat-1', config, templates, true, memo);
    const [card] = recommendPatientView(assessment, 'pat-1', config, templates);
    const when = new Date(at).toISOString();
    expect(outcome.card, when).toBe(card === undefined ? 'none' : `${cardTemplateId(card)} (${card.indicator})`);
    expect(outcome.indicator, when).toBe(card?.indicator);
    expect(outcome.orders, when).toBe(ordersOf(card?.suggestions ?? []));
    seen.add(`${outcome.card} ${outcome.orders === 'none' ? 'no orders' : 'orders'}`);
  }
}

describe('hourOutcome: the card decided without rendering is the rendered card', () => {
  test('revision 2 scenarios, every 3 h over 12 days', () => {
    const now = EVALUATED_AT.getTime();
    const at: number[] = [];
    for (let t = now - 11 * 24 * HOUR_MS; t <= now + 24 * HOUR_MS; t += 3 * HOUR_MS) at.push(t);
    const seen = new Set<string>();
    for (const resources of Object.values(SCENARIOS)) {
      for (const config of [DEFAULT_CONFIG, CHANGED]) expectSameAsRenderedCard(resources, [...at, now], config, seen);
    }
    expect(seen.size).toBeGreaterThan(5);
  });

  test('generated cohort patients with hourly vitals, every 2 h over the course', () => {
    const options = { seed: 11, start: new Date('2026-11-01T00:00:00Z'), days: 14, vitalsEveryHours: 1 };
    const seen = new Set<string>();
    for (let index = 0; index < 6; index++) {
      const plan = planCourse(options, index);
      const resources = JSON.parse(JSON.stringify(courseResources(plan, options.seed))) as Resource[];
      const at: number[] = [];
      for (let t = plan.infusionAt; t <= plan.courseEnd; t += 2 * HOUR_MS) at.push(t);
      for (const config of [DEFAULT_CONFIG, CHANGED]) expectSameAsRenderedCard(resources, at, config, seen);
    }
    // Cards of several templates and indicators, with and without orders.
    expect([...seen].filter((s) => s.endsWith(' orders')).length).toBeGreaterThan(0);
    expect(seen.size).toBeGreaterThan(4);
  });
});
