/**
 * One hook call, end to end: validate the request, resolve prefetch (fhir/), evaluate (the engine,
 * through the RuntimeSnapshot read once for this request), check the response. The only module that
 * connects protocol, FHIR access and the engine.
 */
import type { Bundle } from 'fhir/r4.js';
import type { CdsServiceDefinition } from '../../hooks/types.js';
import { entriesOf, isResource } from '../fhir/bundle-resources.js';
import { findOtherPatientsResource } from '../fhir/patient-scope.js';
import { resolvePrefetch, type PrefetchOptions } from '../fhir/resolve-prefetch.js';
import type { CdsHooksResponse } from '../recommend/card-types.js';
import { InvalidResponseError, OtherPatientDataError } from './errors.js';
import { validateHookRequest } from './request-schema.js';
import { isWellFormedResponse } from './response-schema.js';
import type { RuntimeSnapshot } from './runtime.js';

export interface CallServiceDeps {
  readonly snapshot: RuntimeSnapshot;
  readonly evaluatedAt: Date;
  readonly checkOutboundUrl?: PrefetchOptions['checkOutboundUrl'];
  readonly onRead?: PrefetchOptions['onRead'];
  /** The origin the EHR called (call-origin.ts), for the timeline link; absent when not a plain host. */
  readonly origin?: string;
}

/**
 * Answers one hook call.
 * @param service - the called (enabled) service
 * @param body - the parsed request body
 * @param deps - the snapshot, evaluation time, outbound guard and metrics hook
 * @returns `{cards}` plus `systemActions`/`extension` exactly as the engine returned them
 * @throws InvalidRequestError (400), PreconditionFailedError (412), OtherPatientDataError (400, 412),
 *   InvalidResponseError (500)
 */
export async function callService(service: CdsServiceDefinition, body: unknown, deps: CallServiceDeps): Promise<CdsHooksResponse> {
  const request = validateHookRequest(service, body);
  const { draftOrders, patientId } = request.context as { draftOrders?: unknown; patientId?: unknown };
  if (isResource(draftOrders) && draftOrders.resourceType === 'Bundle' && typeof patientId === 'string'
    && findOtherPatientsResource(entriesOf(draftOrders as Bundle), patientId) !== undefined) {
    throw new OtherPatientDataError(service.id, 'context.draftOrders');
  }
  const { config } = deps.snapshot;
  const prefetch = await resolvePrefetch(
    service,
    {
      fhirServer: request.fhirServer,
      accessToken: request.fhirAuthorization?.access_token,
      context: request.context,
      prefetch: request.prefetch,
    },
    {
      allowedServers: config.fhir.allowedServers,
      timeoutMs: config.fhir.timeoutMs,
      maxResponseBytes: config.fhir.maxResponseBytes,
      checkOutboundUrl: deps.checkOutboundUrl,
      onRead: deps.onRead,
    },
  );
  const result: unknown = deps.snapshot.evaluate({
    service,
    context: request.context,
    resources: prefetch.resources,
    evaluatedAt: deps.evaluatedAt,
    ...(deps.origin === undefined ? {} : { origin: deps.origin }),
  });
  if (!isWellFormedResponse(result)) {
    throw new InvalidResponseError(service.id);
  }
  return {
    cards: result.cards,
    ...(result.systemActions === undefined ? {} : { systemActions: result.systemActions }),
    ...(result.extension === undefined ? {} : { extension: result.extension }),
  };
}
