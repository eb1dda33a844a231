/**
 * A CDS service as this project defines it: what discovery serves plus how each prefetch key is
 * handled. `onFailure` and `required` are internal and never reach discovery.
 */

/** What to do when a prefetch key comes back as an OperationOutcome or cannot be fetched. */
export type PrefetchFailureMode = 'fail' | 'omit' | 'operation-outcome';

export interface PrefetchTemplate {
  /** CDS Hooks 2.0 prefetch query: only {{context.*Id}} and {{user*Id}} tokens. */
  readonly query: string;
  readonly onFailure: PrefetchFailureMode;
}

export interface CdsServiceDefinition {
  readonly id: string;
  readonly hook: 'patient-view' | 'order-select' | 'order-sign';
  readonly title: string;
  readonly description: string;
  readonly usageRequirements?: string;
  readonly prefetch: Readonly<Record<string, PrefetchTemplate>>;
}
