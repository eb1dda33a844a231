/**
 * The CDS Hooks 2.0 `smart` link from a patient-view card to the CRS timeline app (contract: `/app/launch`,
 * `app.launchUrl`, on by default). The EHR opens the URL with `iss` and `launch` added (SMART App Launch 2.0 EHR launch);
 * the app needs nothing else from the card, so no `appContext`.
 */
import { timelineLaunchUrl } from '../config/app-launch-url.js';
import type { Config } from '../config/types.js';
import { withAddedLinks } from './build-card.js';
import type { Card, Link } from './card-types.js';
import { phrase } from './render-template.js';
import type { CardTemplates } from './templates.js';

/**
 * The link, or undefined when it is switched off (`app.cardLink`) or no launch URL is known.
 * @param config - `app` and `auth` sections
 * @param templates - the label comes from `cards/crs-phrases.json`
 * @param origin - the origin the EHR called, used when no launch URL is configured (absent in the CLI)
 */
export function timelineLink(config: Pick<Config, 'app' | 'auth'>, templates: CardTemplates, origin?: string): Link | undefined {
  const url = config.app.cardLink ? timelineLaunchUrl(config, origin) : undefined;
  return url === undefined ? undefined : { label: phrase(templates, 'link.timeline'), url, type: 'smart' };
}

/**
 * The card with the timeline link appended after its template's links.
 * @param card - a patient-view card
 * @param link - from timelineLink
 */
export function withTimelineLink(card: Card, link: Link | undefined): Card {
  return link === undefined ? card : withAddedLinks(card, [link]);
}
