/**
 * A CDS Hooks 2.0 card from a template: uuid, a summary under 140 characters, markdown detail, the
 * template's indicator, source, links and override reasons, and suggestions with a selection behaviour.
 */
import type { Card, Indicator, Link, Suggestion } from './card-types.js';
import { capitalise, fill, fillMarkdown, fitSummary, type TemplateValues } from './render-template.js';
import type { CardTemplateId } from './template-catalog.js';
import type { CardTemplate } from './templates.js';

/**
 * Which template rendered each card, beside the card rather than in it: the CDS response carries no
 * template id, but the audit trail records one. Keyed by the card object, so nothing leaks or lingers.
 */
const TEMPLATE_OF = new WeakMap<Card, CardTemplateId>();

/**
 * @param card - a card returned by {@link buildCard}
 * @returns the id of the template (`cards/<id>.json`) that rendered it; undefined for any other object
 */
export function cardTemplateId(card: Card): CardTemplateId | undefined {
  return TEMPLATE_OF.get(card);
}

/**
 * The card with `links` appended after its own, still known as its template's card (the audit trail
 * records the template of the card as sent).
 * @param card - a card returned by {@link buildCard}
 * @param links - links to add
 */
export function withAddedLinks(card: Card, links: readonly Link[]): Card {
  const linked: Card = { ...card, links: [...(card.links ?? []), ...links] };
  const templateId = TEMPLATE_OF.get(card);
  if (templateId !== undefined) TEMPLATE_OF.set(linked, templateId);
  return linked;
}

export interface CardContent {
  /** Placeholder values for the detail and, unless `summaryValues` is given, the summary. */
  readonly values: TemplateValues;
  /** Summary value sets, most informative first: the first rendering under 140 characters wins. */
  readonly summaryValues?: readonly TemplateValues[];
  readonly suggestions?: readonly Suggestion[];
  /** `any` for independent orders (tocilizumab and a steroid), `at-most-one` for alternatives. */
  readonly selectionBehavior?: 'any' | 'at-most-one';
  /** Raise the template's indicator to at least this (O1/C1: low SpO2 without oxygen support); never lowers it. */
  readonly indicatorAtLeast?: Indicator;
}

const SEVERITY: Readonly<Record<Indicator, number>> = { info: 0, warning: 1, critical: 2 };

/**
 * The indicator a card from `template` shows: the template's, raised (never lowered) to `atLeast`.
 * @param template - the card template
 * @param atLeast - O1/C1: the lowest indicator the card may show
 */
export function cardIndicator(template: CardTemplate, atLeast: Indicator | undefined): Indicator {
  return atLeast !== undefined && SEVERITY[atLeast] > SEVERITY[template.indicator] ? atLeast : template.indicator;
}

/**
 * Renders a card.
 * @param template - the card template
 * @param content - values and suggestions
 * @param newId - uuid source
 */
export function buildCard(template: CardTemplate, content: CardContent, newId: () => string): Card {
  const sets = content.summaryValues !== undefined && content.summaryValues.length > 0 ? content.summaryValues : [content.values];
  // One line, starting with a capital ("Dexamethasone selected …" when a drug name opens the template).
  const oneLine = (s: string): string => capitalise(s.replace(/\s+/g, ' ').trim());
  const candidates = sets.map((v) => oneLine(fill(template.summary, v, `${template.id}.summary`)));
  const last = sets[sets.length - 1] ?? content.values;
  if (template.summaryShort !== undefined) {
    candidates.push(oneLine(fill(template.summaryShort, last, `${template.id}.summaryShort`)));
  }
  const suggestions = content.suggestions ?? [];
  const card: Card = {
    uuid: newId(),
    summary: fitSummary(candidates),
    detail: fillMarkdown(template.detail, content.values, `${template.id}.detail`),
    indicator: cardIndicator(template, content.indicatorAtLeast),
    source: { ...template.source },
    ...(suggestions.length > 0
      ? { suggestions, selectionBehavior: content.selectionBehavior ?? 'any' }
      : {}),
    ...(template.overrideReasons === undefined
      ? {}
      : { overrideReasons: template.overrideReasons.map((r) => ({ system: r.system, code: r.code, display: r.display })) }),
    ...(template.links === undefined ? {} : { links: template.links.map((l) => ({ ...l })) }),
  };
  TEMPLATE_OF.set(card, template.id);
  return card;
}
