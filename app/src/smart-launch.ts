/**
 * SMART App Launch 2.0 (https://hl7.org/fhir/smart-app-launch/app-launch.html) for the timeline: EHR
 * launch (`/app/launch?iss=…&launch=…`) and standalone launch (`/app/launch?iss=…`, the patient chosen
 * at the authorization server). Read-only access to the patient compartment, nothing more: one
 * `patient/<type>.read` scope per resource type the engine reads, no user identity, no refresh token.
 */

/** The resource types the timeline reads (see fhir/patient-queries.ts). */
const READ_TYPES = ['Patient', 'Observation', 'MedicationAdministration', 'Medication', 'Condition'] as const;

/**
 * The scopes to request.
 * @param ehrLaunch - true for an EHR launch (a `launch` parameter), false for a standalone launch
 */
export function launchScopes(ehrLaunch: boolean): string {
  return [ehrLaunch ? 'launch' : 'launch/patient', ...READ_TYPES.map((type) => `patient/${type}.read`)].join(' ');
}

/** What fhirclient's `authorize` needs. */
export interface AuthorizeRequest {
  readonly iss: string;
  readonly launch?: string;
  readonly clientId: string;
  readonly scope: string;
  readonly redirectUri: string;
}

/**
 * The authorize request for this launch, or undefined when the URL names no FHIR server.
 * @param search - the launch page's query string (`?iss=…&launch=…`)
 * @param clientId - the registered client id (`app.clientId`)
 * @param appUrl - the app's own URL (`/app/`), the registered redirect URI
 */
export function authorizeRequest(search: string, clientId: string, appUrl: string): AuthorizeRequest | undefined {
  const params = new URLSearchParams(search);
  const iss = params.get('iss') ?? undefined;
  if (iss === undefined || !URL.canParse(iss)) return undefined;
  const launch = params.get('launch') ?? undefined;
  return { iss, ...(launch === undefined ? {} : { launch }), clientId, scope: launchScopes(launch !== undefined), redirectUri: appUrl };
}
