/**
 * JSON Schemas (draft 2020-12) of what a CDS Client sends, written from CDS Hooks 2.0
 * (https://cds-hooks.hl7.org/2.0/#http-request, #feedback) and the patient-view and order-select hook
 * definitions (order-sign included). Unknown members (e.g. `extension`) are tolerated, as the spec asks. A failure becomes
 * an InvalidRequestError naming the field (`issue[].expression`), never echoing a value.
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import ajvFormats from 'ajv-formats';
import type { CdsServiceDefinition } from '../../hooks/types.js';
import { InvalidRequestError } from './errors.js';

/** A FHIR logical id; longer than FHIR's 64 characters because some EHRs issue longer ids. */
const FHIR_ID = { type: 'string', pattern: '^[A-Za-z0-9\\-.]{1,256}$' } as const;
/** `userId`: `[ResourceType]/[id]` of the user (2.0 hook definitions). */
const USER_REF = {
  type: 'string',
  pattern: '^(Practitioner|PractitionerRole|Patient|RelatedPerson)/[A-Za-z0-9\\-.]{1,256}$',
} as const;

const fhirAuthorization = {
  type: 'object',
  required: ['access_token', 'token_type', 'expires_in', 'scope', 'subject'],
  properties: {
    access_token: { type: 'string', minLength: 1 },
    token_type: { const: 'Bearer' },
    expires_in: { type: 'integer', minimum: 0 },
    scope: { type: 'string', minLength: 1 },
    subject: { type: 'string', minLength: 1 },
    patient: { type: 'string' },
  },
} as const;

const patientViewContext = {
  type: 'object',
  required: ['userId', 'patientId'],
  properties: { userId: USER_REF, patientId: FHIR_ID, encounterId: FHIR_ID },
} as const;

/** `draftOrders`: a FHIR Bundle of the orders (order-select: the unsigned ones; order-sign: those being signed). */
const DRAFT_ORDERS = {
  type: 'object',
  required: ['resourceType'],
  properties: {
    resourceType: { const: 'Bundle' },
    entry: { type: 'array', items: { type: 'object' } },
  },
} as const;

const orderSelectContext = {
  type: 'object',
  required: ['userId', 'patientId', 'selections', 'draftOrders'],
  properties: {
    userId: USER_REF,
    patientId: FHIR_ID,
    encounterId: FHIR_ID,
    selections: { type: 'array', minItems: 1, items: { type: 'string', pattern: '^[A-Za-z]+/[A-Za-z0-9\\-.]{1,256}$' } },
    draftOrders: DRAFT_ORDERS,
  },
} as const;

/** order-sign: no `selections`, every order of `draftOrders` is being signed. */
const orderSignContext = {
  type: 'object',
  required: ['userId', 'patientId', 'draftOrders'],
  properties: { userId: USER_REF, patientId: FHIR_ID, encounterId: FHIR_ID, draftOrders: DRAFT_ORDERS },
} as const;

const hookRequest = (context: object): object => ({
  type: 'object',
  required: ['hook', 'hookInstance', 'context'],
  properties: {
    hook: { type: 'string', minLength: 1 },
    hookInstance: { type: 'string', format: 'uuid' },
    fhirServer: { type: 'string', format: 'uri', pattern: '^https?://' },
    fhirAuthorization,
    context,
    prefetch: { type: 'object', additionalProperties: { type: ['object', 'null'] } },
    extension: { type: 'object' },
  },
  // 2.0: fhirAuthorization only makes sense with a fhirServer to use it on.
  dependentRequired: { fhirAuthorization: ['fhirServer'] },
});

const feedbackRequest = {
  type: 'object',
  required: ['feedback'],
  properties: {
    feedback: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['card', 'outcome', 'outcomeTimestamp'],
        properties: {
          card: { type: 'string', format: 'uuid' },
          outcome: { enum: ['accepted', 'overridden'] },
          acceptedSuggestions: {
            type: 'array',
            minItems: 1,
            items: { type: 'object', required: ['id'], properties: { id: { type: 'string', minLength: 1 } } },
          },
          overrideReason: {
            type: 'object',
            properties: {
              reason: {
                type: 'object',
                required: ['code'],
                properties: { code: { type: 'string', minLength: 1 }, system: { type: 'string' }, display: { type: 'string' } },
              },
              userComment: { type: 'string' },
            },
          },
          outcomeTimestamp: { type: 'string', format: 'date-time' },
        },
        if: { required: ['outcome'], properties: { outcome: { const: 'accepted' } } },
        then: { required: ['acceptedSuggestions'] },
      },
    },
  },
} as const;

const ajv = new Ajv2020({ allErrors: false, strict: true, strictRequired: false, allowUnionTypes: true });
ajvFormats.default(ajv);

const validators: Readonly<Record<CdsServiceDefinition['hook'], ValidateFunction>> = {
  'patient-view': ajv.compile(hookRequest(patientViewContext)),
  'order-select': ajv.compile(hookRequest(orderSelectContext)),
  'order-sign': ajv.compile(hookRequest(orderSignContext)),
};
const validateFeedbackBody = ajv.compile(feedbackRequest);

/**
 * `a.b[0].c` style path of an ajv error, including a missing property. Prefetch keys are the caller's
 * own names: only the service's declared keys are echoed (errors and logs never repeat arbitrary
 * request text, which could be patient data), any other becomes `*`.
 */
function fieldOf(error: ErrorObject, prefetchKeys: ReadonlySet<string>): string {
  const parts = error.instancePath
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (parts[0] === 'prefetch' && parts[1] !== undefined && !prefetchKeys.has(parts[1])) {
    parts[1] = '*';
  }
  const missing = (error.params as { missingProperty?: unknown }).missingProperty;
  if (typeof missing === 'string') {
    parts.push(missing);
  }
  return parts.reduce((path, part) => (/^\d+$/.test(part) ? `${path}[${part}]` : path === '' ? part : `${path}.${part}`), '');
}

function toError(errors: readonly ErrorObject[] | null | undefined, prefetchKeys: ReadonlySet<string> = new Set()): InvalidRequestError {
  const first = errors?.[0];
  if (first === undefined) {
    return new InvalidRequestError('Invalid request');
  }
  const field = fieldOf(first, prefetchKeys);
  return new InvalidRequestError(`${field === '' ? 'request' : field}: ${first.message ?? 'is invalid'}`, field === '' ? [] : [field]);
}

/** A hook request as validated (members beyond these are tolerated and ignored). */
export interface HookRequest {
  readonly hook: string;
  readonly hookInstance: string;
  readonly fhirServer?: string;
  readonly fhirAuthorization?: { readonly access_token: string };
  readonly context: Readonly<Record<string, unknown>>;
  readonly prefetch?: Readonly<Record<string, unknown>>;
}

/**
 * Validates a hook request for `service`, including that `hook` names the service's hook.
 * @param service - the called service
 * @param body - the parsed body
 * @throws InvalidRequestError naming the first bad field
 */
export function validateHookRequest(service: CdsServiceDefinition, body: unknown): HookRequest {
  // The hook is checked first: a call meant for another hook would otherwise fail on its context.
  const hook = (body as { hook?: unknown } | null)?.hook;
  if (typeof hook === 'string' && hook !== service.hook) {
    throw new InvalidRequestError(`hook: service ${service.id} answers ${service.hook}`, ['hook']);
  }
  const validate = validators[service.hook];
  if (!validate(body)) {
    throw toError(validate.errors, new Set(Object.keys(service.prefetch)));
  }
  return body as HookRequest;
}

/** One validated feedback entry. */
export interface FeedbackEntry {
  readonly card: string;
  readonly outcome: 'accepted' | 'overridden';
  readonly acceptedSuggestions?: readonly { readonly id: string }[];
  readonly overrideReason?: {
    readonly reason?: { readonly code: string; readonly system?: string; readonly display?: string };
    readonly userComment?: string;
  };
  readonly outcomeTimestamp: string;
}

/**
 * Validates a feedback body (`{"feedback": [...]}`).
 * @param body - the parsed body
 * @throws InvalidRequestError naming the first bad field
 */
export function validateFeedback(body: unknown): readonly FeedbackEntry[] {
  if (!validateFeedbackBody(body)) {
    throw toError(validateFeedbackBody.errors);
  }
  return (body as { feedback: FeedbackEntry[] }).feedback;
}
