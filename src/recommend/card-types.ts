/**
 * CDS Hooks 2.0 response types (https://cds-hooks.hl7.org/2.0/#cds-service-response), written from
 * the spec rather than taken from a library. Optional members are omitted, never null or empty.
 */
import type { Coding, FhirResource } from 'fhir/r4.js';

export type Indicator = 'info' | 'warning' | 'critical';

export interface CardSource {
  readonly label: string;
  readonly url?: string;
  readonly icon?: string;
  readonly topic?: Coding;
}

export interface Action {
  readonly type: 'create' | 'update' | 'delete';
  readonly description: string;
  /** create/update: the resource. */
  readonly resource?: FhirResource;
  /** A relative reference, `ResourceType/id` (a string, CDS Hooks 2.0); SHOULD be given with `delete`. */
  readonly resourceId?: string;
}

export interface Suggestion {
  readonly label: string;
  readonly uuid: string;
  readonly isRecommended?: boolean;
  readonly actions?: readonly Action[];
}

export interface Link {
  readonly label: string;
  readonly url: string;
  readonly type: 'absolute' | 'smart';
  /** Only on `smart` links. */
  readonly appContext?: string;
}

export interface Card {
  readonly uuid: string;
  /** Under 140 characters. */
  readonly summary: string;
  /** GitHub-flavoured markdown. */
  readonly detail?: string;
  readonly indicator: Indicator;
  readonly source: CardSource;
  readonly suggestions?: readonly Suggestion[];
  /** Required whenever `suggestions` is present. */
  readonly selectionBehavior?: 'at-most-one' | 'any';
  /** Coded reasons a clinician may give for overriding the card, each with a display. */
  readonly overrideReasons?: readonly Coding[];
  readonly links?: readonly Link[];
}

export interface CdsHooksResponse {
  readonly cards: readonly Card[];
  readonly systemActions?: readonly Action[];
  readonly extension?: Readonly<Record<string, unknown>>;
}
