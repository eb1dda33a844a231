/**
 * What the card templates in `cards/` may say: every card template id with its indicator (fixed by
 * crs-rules.md: grade table and OS1–OS4, so a site override cannot downgrade a critical card) and the
 * placeholders the code supplies for it, and every phrase key with its placeholders. The loader rejects
 * anything else, so a typo in a site's template fails at start-up rather than in front of a physician.
 */
import type { Indicator } from './card-types.js';

/** Placeholders of every patient-view assessment card (grade 0–4). */
const ASSESSMENT = ['grade', 'findings', 'plan', 'evidence', 'orders', 'notes', 'lookbackHours'] as const;

export const CARD_TEMPLATE_SPECS = {
  'crs-grade-0': { indicator: 'info', placeholders: ASSESSMENT },
  'crs-grade-1': { indicator: 'info', placeholders: ASSESSMENT },
  'crs-grade-2': { indicator: 'warning', placeholders: ASSESSMENT },
  'crs-grade-3': { indicator: 'critical', placeholders: ASSESSMENT },
  'crs-grade-4': { indicator: 'critical', placeholders: ASSESSMENT },
  /** G-I */
  'crs-data-incomplete': { indicator: 'info', placeholders: ['gap', 'findings', 'evidence', 'notes', 'lookbackHours'] },
  /** OS1 with a usable weight */
  'crs-os-dose': {
    indicator: 'warning',
    placeholders: ['orderId', 'orderedMg', 'doseMg', 'basis', 'maxDoseMg', 'tolerancePercent'],
  },
  /** OS1 without a usable weight: only the per-dose maximum is checked */
  'crs-os-dose-no-weight': {
    indicator: 'warning',
    placeholders: ['orderId', 'orderedMg', 'maxDoseMg', 'weightMaxAgeDays'],
  },
  /** OS2 */
  'crs-os-limit': { indicator: 'critical', placeholders: ['orderId', 'reasons', 'next', 'nextLine', 'history'] },
  /** OS3 at grade 0 or 1 (`reminder`: the CAR-T efficacy reminder, '' unless the index therapy is CAR-T) */
  'crs-os-not-indicated': { indicator: 'info', placeholders: ['drug', 'grade', 'findings', 'reminder', 'evidence', 'notes'] },
  /** OS3 at an indeterminate grade (G-I): the gap, and confirm the indication */
  'crs-os-indeterminate': { indicator: 'info', placeholders: ['drug', 'gap', 'reminder', 'evidence', 'notes'] },
  /** OS4 (`bundleGrade`: max(3, current grade); `care`: that grade's supportive care lines) */
  'crs-os-vasopressor': {
    indicator: 'info',
    placeholders: ['drug', 'grade', 'findings', 'bundleGrade', 'orders', 'care', 'evidence'],
  },
} as const satisfies Record<string, { indicator: Indicator; placeholders: readonly string[] }>;

export type CardTemplateId = keyof typeof CARD_TEMPLATE_SPECS;

/** The id of the phrase file (`cards/crs-phrases.json`): the fragments cards are assembled from. */
export const PHRASES_ID = 'crs-phrases';

const DOSE = ['doseMg', 'infusionMinutes', 'basis'] as const;
const STEROID = ['drug', 'doseMg', 'frequency'] as const;

export const PHRASE_SPECS = {
  // Summary findings (short)
  'finding.fever': ['temp'],
  'finding.masked': ['agent'],
  'finding.no-fever': ['lookbackHours'],
  'finding.sbp': ['value'],
  'finding.map': ['value'],
  'finding.vasopressors': ['drugs'],
  'finding.oxygen.low-flow': [],
  'finding.oxygen.high-flow': [],
  'finding.oxygen.positive-pressure': [],
  // Summary plan (short)
  'plan.recommend': ['items'],
  'plan.tocilizumab': ['doseMg'],
  'plan.consider-tocilizumab': ['doseMg', 'hours'],
  'plan.tocilizumab-held': ['time'],
  'plan.tocilizumab-max': [],
  'plan.tocilizumab-no-weight': [],
  'plan.steroid': STEROID,
  'plan.steroid-active': ['drug'],
  'plan.supportive': [],
  'plan.none': [],
  // Evidence block (detail)
  'evidence.heading': ['lookbackHours', 'evaluatedAt', 'context'],
  'evidence.context-therapy': ['dayPlus', 'product', 'start'],
  'evidence.context-condition': ['start'],
  'evidence.fever': ['temp', 'time'],
  'evidence.temperature': ['temp', 'time'],
  'evidence.no-temperature': [],
  'evidence.masked': ['agent', 'time'],
  'evidence.sbp': ['value', 'time'],
  'evidence.map': ['value', 'time'],
  'evidence.no-bp': [],
  'evidence.vasopressors': ['drugs'],
  'evidence.oxygen': ['tier', 'items'],
  'evidence.oxygen-tier': ['tier'],
  'evidence.oxygen-none': [],
  'evidence.oxygen-flow': ['value', 'time'],
  'evidence.oxygen-device': ['device', 'time'],
  'evidence.spo2': ['value', 'time'],
  'evidence.episode-max': ['grade', 'time'],
  'evidence.episode-max-none': [],
  'evidence.tocilizumab': ['count', 'last'],
  'evidence.tocilizumab-none': [],
  'tier.low-flow': [],
  'tier.high-flow': [],
  'tier.positive-pressure': [],
  'grade.indeterminate': [],
  // Orders block (detail)
  'dose.basis': ['mgPerKg', 'weightKg', 'weightAt'],
  'dose.basis-capped': ['maxDoseMg', 'weightKg', 'weightAt'],
  'order.tocilizumab': DOSE,
  'order.consider-tocilizumab': [...DOSE, 'hours', 'firstFever'],
  'order.tocilizumab-held': ['reasons', 'time'],
  'order.tocilizumab-max': ['reasons'],
  'order.tocilizumab-no-weight': ['weightMaxAgeDays', 'mgPerKg', 'mgPerKgLowWeight', 'lowWeightBelowKg', 'maxDoseMg'],
  'order.next-line': [],
  'order.steroid': STEROID,
  'order.steroid-course': [...STEROID, 'days'],
  'order.steroid-refractory': [...STEROID, 'count'],
  'order.steroid-active': ['drug', 'time'],
  'limit.per-24h': ['count', 'max'],
  'limit.per-episode': ['count', 'max'],
  'limit.spacing': ['last', 'hours'],
  'limit.spacing-selected': ['orderIds', 'hours'],
  'next.at': ['time'],
  'next.none': [],
  'history.tocilizumab': ['count', 'countEpisode', 'last'],
  'history.selected': ['orderIds'],
  // Order-select context (detail)
  'reminder.car-t-steroids': [],
  'care.grade-3': [],
  'care.grade-4': [],
  // Data notes (detail)
  'notes.heading': [],
  'note.unknown-unit': ['kind', 'value'],
  'note.implausible-value': ['kind', 'value'],
  'note.missing-time': ['kind'],
  'note.unresolved-medication': [],
  'note.more': ['count'],
  'note.no-weight': ['weightMaxAgeDays'],
  'note.not-attributable': [],
  'note.low-spo2': ['value', 'time'],
  'gap.no-temperature': ['lookbackHours'],
  'gap.no-usable-temperature': ['lookbackHours'],
  // Suggestions and their actions
  'suggestion.tocilizumab': ['doseMg', 'infusionMinutes'],
  'suggestion.consider-tocilizumab': ['doseMg', 'infusionMinutes'],
  'suggestion.steroid': STEROID,
  'suggestion.steroid-course': [...STEROID, 'days'],
  'suggestion.correct-dose': ['doseMg'],
  'action.create': ['sig'],
  'action.update': ['orderId', 'doseMg'],
  'sig.tocilizumab': ['doseMg', 'infusionMinutes'],
  'sig.steroid': STEROID,
  'sig.steroid-course': [...STEROID, 'days'],
  'frequency.every-hours': ['hours'],
  'frequency.daily': [],
  // The smart link to the CRS timeline app on patient-view cards (contract)
  'link.timeline': [],
} as const satisfies Record<string, readonly string[]>;

export type PhraseKey = keyof typeof PHRASE_SPECS;
