/**
 * How an order-select or order-sign card names the order it is about and the act (crs-rules.md section 5;
 * wording in cards/crs-phrases.json): a selected draft on order-select, an order being signed on
 * order-sign (a draft, or an order re-signed after a revision).
 */
import type { Advice } from './advise-order-select.js';
import type { DraftOrder } from './draft-order.js';
import { phrase } from './render-template.js';

/**
 * `order` ("Draft order mr-1", "Order mr-1 (being signed)") and `selected` ("selected", "ordered").
 * @param draft - the order the card is about
 * @param adv - the calling hook and the templates
 */
export function orderWords(draft: DraftOrder, adv: Pick<Advice, 'hook' | 't'>): { order: string; selected: string } {
  const signing = adv.hook === 'order-sign';
  return {
    order: phrase(adv.t, signing ? 'order.label-sign' : 'order.label-select', { orderId: draft.id }),
    selected: phrase(adv.t, signing ? 'verb.sign' : 'verb.select'),
  };
}
