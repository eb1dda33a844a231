/**
 * The seam between the protocol layer and the clinical engine. The HTTP layer resolves prefetch and
 * hands the resources to `evaluate`; it knows nothing clinical. A snapshot is read once per request,
 * so a configuration reload never shows a request half of one configuration and half of another.
 */
import type { Resource } from 'fhir/r4.js';
import type { Config } from '../config/types.js';
import type { CdsHooksResponse } from '../recommend/card-types.js';
import type { CdsServiceDefinition } from '../../hooks/types.js';

export interface HookInput {
  readonly service: CdsServiceDefinition;
  /** The validated hook `context` (patientId, userId, selections, draftOrders, ...). */
  readonly context: Readonly<Record<string, unknown>>;
  /** Every resource from prefetch or the FHIR server: Bundles flattened, de-duplicated by type/id. */
  readonly resources: readonly Resource[];
  readonly evaluatedAt: Date;
  /**
   * The origin the EHR called (`http://127.0.0.1:3000`; a plain host only, call-origin.ts): the
   * timeline link's base when neither `app.launchUrl` nor `auth.audience` is configured. Absent in the CLI.
   */
  readonly origin?: string;
}

export interface RuntimeSnapshot {
  readonly config: Config;
  /** Hash of the configuration and card templates of this snapshot (audit records carry it). */
  readonly configVersion: string;
  /** Enabled services, in discovery order. */
  readonly services: readonly CdsServiceDefinition[];
  /** Pure: grading and cards for one hook call. */
  readonly evaluate: (input: HookInput) => CdsHooksResponse;
}
