/**
 * The shape check of what we send back (https://cds-hooks.hl7.org/2.0/#cds-service-response): a
 * `cards` array of well-formed cards. A malformed engine result is a 500, never sent to the EHR.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { CdsHooksResponse } from '../recommend/card-types.js';

const card = {
  type: 'object',
  required: ['summary', 'indicator', 'source'],
  properties: {
    uuid: { type: 'string' },
    summary: { type: 'string', minLength: 1, maxLength: 140 },
    detail: { type: 'string' },
    indicator: { enum: ['info', 'warning', 'critical'] },
    source: { type: 'object', required: ['label'], properties: { label: { type: 'string', minLength: 1 } } },
    suggestions: {
      type: 'array',
      items: { type: 'object', required: ['label'], properties: { label: { type: 'string' } } },
    },
    links: {
      type: 'array',
      items: {
        type: 'object',
        required: ['label', 'url', 'type'],
        properties: { label: { type: 'string' }, url: { type: 'string' }, type: { enum: ['absolute', 'smart'] } },
      },
    },
  },
  dependentRequired: { suggestions: ['selectionBehavior'] },
} as const;

const response = {
  type: 'object',
  required: ['cards'],
  properties: {
    cards: { type: 'array', items: card },
    systemActions: { type: 'array', items: { type: 'object' } },
    extension: { type: 'object' },
  },
} as const;

const validate = new Ajv2020({ strict: true, strictRequired: false }).compile(response);

/**
 * Whether `value` is a well-formed CDS Hooks response.
 * @param value - what the engine returned
 */
export function isWellFormedResponse(value: unknown): value is CdsHooksResponse {
  return validate(value);
}
