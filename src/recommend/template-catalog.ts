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
  /** G-I (C2: `findings` names hypotension, vasopressor or oxygen need; '' when none) */
  'crs-data-incomplete': { indicator: 'info', placeholders: ['gap', 'gapDetail', 'findings', 'evidence', 'notes', 'lookbackHours'] },
  /** OS1 with a usable weight */
  'crs-os-dose': {
    indicator: 'warning',
    placeholders: ['order', 'orderId', 'orderedMg', 'doseMg', 'basis', 'maxDoseMg', 'tolerancePercent'],
  },
  /** OS1 without a usable weight: only the per-dose maximum is checked */
  'crs-os-dose-no-weight': {
    indicator: 'warning',
    placeholders: ['order', 'orderId', 'orderedMg', 'maxDoseMg', 'weightMaxAgeDays'],
  },
  /** OS2 */
  'crs-os-limit': { indicator: 'critical', placeholders: ['order', 'orderId', 'reasons', 'next', 'nextLine', 'history'] },
  /** OS3 at grade 0 or 1 (`reminder`: the CAR-T efficacy reminder, '' unless the index therapy is CAR-T) */
  'crs-os-not-indicated': { indicator: 'info', placeholders: ['drug', 'selected', 'grade', 'findings', 'reminder', 'evidence', 'notes'] },
  /** OS3 at an indeterminate grade (G-I): the gap, and confirm the indication */
  'crs-os-indeterminate': { indicator: 'info', placeholders: ['drug', 'selected', 'gap', 'reminder', 'evidence', 'notes'] },
  /** OS4 (`bundleGrade`: max(3, current grade); `care`: that grade's supportive care lines) */
  'crs-os-vasopressor': {
    indicator: 'info',
    placeholders: ['drug', 'grade', 'findings', 'bundleGrade', 'orders', 'care', 'evidence'],
  },
  /** T-S on order-select: a corticosteroid selected on top of a systemic corticosteroid exposure that already covers the grade */
  'crs-os-steroid-active': {
    indicator: 'warning',
    placeholders: ['order', 'orderId', 'drug', 'selected', 'current', 'exposure', 'grade', 'regimen', 'evidence'],
  },
} as const satisfies Record<string, { indicator: Indicator; placeholders: readonly string[] }>;

export type CardTemplateId = keyof typeof CARD_TEMPLATE_SPECS;

/** The id of the phrase file (`cards/crs-phrases.json`): the fragments cards are assembled from. */
export const PHRASES_ID = 'crs-phrases';

const DOSE = ['doseMg', 'infusionMinutes', 'basis'] as const;
const STEROID = ['drug', 'doseMg', 'frequency'] as const;

export const PHRASE_SPECS = {
  // Summary findings (short; C1)
  'finding.fever': ['temp'],
  'finding.masked': ['agent'],
  'finding.no-fever': ['lookbackHours'],
  'finding.sbp': ['value'],
  'finding.sbp-child': ['value', 'threshold', 'age'],
  'finding.map': ['value'],
  'finding.vasopressors': ['drugs'],
  'finding.oxygen.low-flow': ['source'],
  'finding.oxygen.high-flow': ['source'],
  'finding.oxygen.positive-pressure': ['source'],
  'finding.oxygen-unrecognised': ['device'],
  'finding.oxygen-tier': ['tier'],
  'finding.low-spo2': ['value'],
  'source.flow': ['value'],
  'source.fio2': ['value'],
  'summary.findings': ['findings'],
  // Summary plan (short)
  'plan.recommend': ['items'],
  'plan.tocilizumab': ['doseMg'],
  'plan.tocilizumab-short': [],
  'plan.consider-tocilizumab': ['doseMg', 'hours'],
  'plan.tocilizumab-held': ['time'],
  'plan.tocilizumab-held-short': [],
  'plan.tocilizumab-max': [],
  'plan.tocilizumab-no-weight': [],
  'plan.steroid': STEROID,
  'plan.steroid-escalate': STEROID,
  'plan.steroid-continue': ['drug'],
  'plan.steroid-continue-short': ['drug'],
  'plan.steroid-unknown-dose': ['drug'],
  'plan.steroid-unknown-dose-short': [],
  'plan.condition-only': [],
  'plan.supportive': [],
  'plan.none': [],
  // Evidence block (detail)
  'evidence.heading': ['lookbackHours', 'evaluatedAt', 'context'],
  'evidence.context-therapy': ['dayPlus', 'product', 'start'],
  'evidence.context-condition': ['start'],
  'evidence.fever': ['temp', 'time', 'latest'],
  'evidence.temperature': ['temp', 'time', 'latest'],
  'evidence.latest-temperature': ['temp', 'time'],
  'evidence.no-temperature': [],
  'evidence.no-countable-temperature': ['why'],
  'evidence.masked': ['agent', 'time'],
  'evidence.masking-ended': ['agent', 'time', 'ended', 'reason'],
  'masking.ended-resolution': ['hours'],
  'masking.ended-max-hours': ['hours'],
  'evidence.sbp': ['value', 'time', 'threshold'],
  'evidence.sbp-threshold-child': ['threshold', 'age'],
  'evidence.map': ['value', 'time'],
  'evidence.no-bp': [],
  'evidence.vasopressors': ['drugs', 'inferred'],
  'evidence.rates-inferred': [],
  'evidence.oxygen': ['tier', 'items'],
  'evidence.oxygen-tier': ['tier'],
  'evidence.oxygen-none': [],
  'evidence.oxygen-room-air': ['item'],
  'evidence.oxygen-flow': ['value', 'time'],
  'evidence.oxygen-fio2': ['value', 'time'],
  'evidence.oxygen-device': ['device', 'time'],
  'evidence.oxygen-unrecognised': ['device', 'time'],
  'evidence.spo2': ['value', 'time'],
  'evidence.episode-max': ['grade', 'time'],
  'evidence.episode-max-none': [],
  'evidence.tocilizumab': ['doses', 'last', 'onHold'],
  'evidence.tocilizumab-none': [],
  'evidence.tocilizumab-on-hold': [],
  'evidence.corticosteroids': ['hours', 'items', 'dexamethasoneMg'],
  'evidence.corticosteroid-dose': ['drug', 'dose', 'time'],
  'dose.not-charted': [],
  'dose.mg': ['doseMg'],
  'tier.low-flow': [],
  'tier.high-flow': [],
  'tier.positive-pressure': [],
  'grade.indeterminate': [],
  'age.years': ['years'],
  'age.months': ['months'],
  'age.newborn': [],
  // Counts in English (C6)
  'count.dose.one': ['count'],
  'count.dose.other': ['count'],
  'count.record.one': ['count'],
  'count.record.other': ['count'],
  // Orders block (detail)
  'dose.basis': ['mgPerKg', 'weightKg', 'weightAt'],
  'dose.basis-capped': ['maxDoseMg', 'weightKg', 'weightAt'],
  'order.tocilizumab': DOSE,
  'order.consider-tocilizumab': [...DOSE, 'hours', 'firstFever'],
  'order.tocilizumab-held': ['reasons', 'time'],
  'order.tocilizumab-max': ['reasons'],
  'order.tocilizumab-no-weight': ['weightMaxAgeDays', 'mgPerKg', 'mgPerKgLowWeight', 'lowWeightBelowKg', 'maxDoseMg'],
  'order.next-line-steroids': [],
  'order.refractory': [],
  'order.steroid': STEROID,
  'order.steroid-course': [...STEROID, 'days'],
  'order.steroid-refractory': [...STEROID, 'doses'],
  'order.steroid-early': [...STEROID, 'product'],
  'order.steroid-escalate': [...STEROID, 'current'],
  'order.steroid-continue': ['drug', 'dose', 'time'],
  'order.steroid-unknown-dose': ['drug', 'time', 'regimen'],
  'course.review': [],
  'course.taper-after-days': ['drug', 'days'],
  'order.exclude-causes': ['agent'],
  'order.hold-engager': ['product'],
  'order.condition-only': ['days'],
  'limit.per-24h': ['doses', 'max'],
  'limit.per-episode': ['doses', 'max'],
  'limit.spacing': ['last', 'onHold', 'hours'],
  'limit.spacing-selected': ['orderIds', 'hours'],
  'limit.spacing-signing': ['orderIds', 'hours'],
  'next.at': ['time'],
  'next.none': [],
  'history.tocilizumab': ['doses24h', 'dosesEpisode', 'last', 'onHold'],
  'history.selected': ['orderIds'],
  'history.signing': ['orderIds'],
  // How an order-select or order-sign card names its order, and the act (OS1–OS3, T-S)
  'order.label-select': ['orderId'],
  'order.label-sign': ['orderId'],
  'verb.select': [],
  'verb.sign': [],
  // Order-select context (detail)
  'reminder.car-t-steroids': [],
  'care.grade-3': [],
  'care.grade-4': [],
  'regimen.none': [],
  // Data notes (detail)
  'notes.heading': [],
  'note.unknown-unit': ['kind', 'value'],
  'note.implausible-value': ['kind', 'value'],
  'note.missing-time': ['kind'],
  'note.unresolved-medication': [],
  'note.status-not-counted': ['kind', 'value', 'status'],
  'note.unlisted-temperature-code': ['code', 'value'],
  'note.more': ['records'],
  'note.no-weight': ['weightMaxAgeDays'],
  'note.not-attributable': [],
  'note.low-spo2': ['value', 'time'],
  'gap.no-temperature': ['lookbackHours'],
  'gap.no-usable-temperature': ['lookbackHours'],
  'gap.detail.no-temperature': ['lookbackHours'],
  'gap.detail.no-usable-temperature': ['lookbackHours', 'why'],
  'why.status': ['status'],
  'why.unknown-unit': [],
  'why.implausible-value': [],
  'why.unlisted-code': ['code'],
  // Suggestions and their actions
  'suggestion.tocilizumab': ['doseMg', 'infusionMinutes'],
  'suggestion.consider-tocilizumab': ['doseMg', 'infusionMinutes'],
  'suggestion.steroid': STEROID,
  'suggestion.steroid-course': [...STEROID, 'days'],
  'suggestion.steroid-escalate': STEROID,
  'suggestion.correct-dose': ['doseMg'],
  'action.create': ['sig'],
  'action.update': ['orderId', 'doseMg'],
  'sig.tocilizumab': ['doseMg', 'infusionMinutes'],
  'sig.steroid': STEROID,
  'sig.steroid-course': [...STEROID, 'days'],
  'frequency.every-hours': ['hours'],
  'frequency.daily': [],
  'frequency.once': [],
  // The smart link to the CRS timeline app on patient-view cards (contract)
  'link.timeline': [],
} as const satisfies Record<string, readonly string[]>;

export type PhraseKey = keyof typeof PHRASE_SPECS;
