/**
 * Runs the configuration schema (ajv, draft 2020-12) and turns ajv's errors into one plain sentence per
 * key, e.g. `grading.feverCelsius: must be a number between 37 and 40`, with "did you mean" for unknown keys.
 */
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import type { ConfigProblem } from './config-error.js';
import { suggest } from './did-you-mean.js';
import { CONFIG_SCHEMA } from './schema.js';
import { rangeWords, type SchemaNode } from './schema-builders.js';
import { isRecord } from '../is-record.js';

const ajv = new Ajv2020({ allErrors: true, verbose: true, strict: true });
ajv.addVocabulary(['x-rule', 'x-unit', 'x-hint', 'x-shown']);
const validate = ajv.compile(CONFIG_SCHEMA);

/** Every schema problem of a raw (parsed) configuration file; empty when it conforms. */
export function schemaProblems(raw: unknown): ConfigProblem[] {
  if (validate(raw)) {
    return [];
  }
  const problems: ConfigProblem[] = [];
  const seen = new Set<string>();
  for (const error of validate.errors ?? []) {
    const problem = toProblem(error, raw);
    // One sentence per key: a value of the wrong type and out of range is reported once.
    if (!seen.has(problem.path)) {
      seen.add(problem.path);
      problems.push(problem);
    }
  }
  return problems;
}

/** `/grading/plausible/0` → `grading.plausible[0]`, walking the data so array indexes get brackets. */
function pointerToPath(pointer: string, data: unknown, extra?: string): string {
  const segments = pointer === '' ? [] : pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (extra !== undefined) {
    segments.push(extra);
  }
  let path = '';
  let node: unknown = data;
  for (const segment of segments) {
    if (Array.isArray(node)) {
      path += `[${segment}]`;
      node = node[Number(segment)];
    } else {
      path += path === '' ? segment : `.${segment}`;
      node = isRecord(node) ? node[segment] : undefined;
    }
  }
  return path === '' ? '(top level)' : path;
}

function toProblem(error: ErrorObject, raw: unknown): ConfigProblem {
  const schema: SchemaNode = isRecord(error.parentSchema) ? error.parentSchema : {};
  const params: Record<string, unknown> = error.params;
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(params['additionalProperty']);
      const siblings = isRecord(schema['properties']) ? Object.keys(schema['properties']) : [];
      const near = suggest(key, siblings);
      const hint = near !== undefined ? `did you mean "${near}"?` : `expected one of: ${siblings.join(', ')}`;
      return { path: pointerToPath(error.instancePath, raw, key), message: `unknown key; ${hint}` };
    }
    case 'required':
      return { path: pointerToPath(error.instancePath, raw, String(params['missingProperty'])), message: 'is required' };
    default:
      return { path: pointerToPath(error.instancePath, raw), message: valueMessage(error, schema) };
  }
}

/** The expectation of a leaf in words, whichever of its keywords failed. */
function valueMessage(error: ErrorObject, schema: SchemaNode): string {
  const type = schema['type'];
  if (type === 'number' || type === 'integer') {
    const range = rangeWords(schema);
    return `must be ${type === 'integer' ? 'a whole number' : 'a number'}${range === '' ? '' : ` ${range}`}`;
  }
  switch (error.keyword) {
    case 'type':
      return typeMessage(String(error.params['type']));
    case 'enum':
      return `must be one of: ${(Array.isArray(schema['enum']) ? schema['enum'] : []).join(', ')}`;
    case 'const':
      return `must be ${JSON.stringify(schema['const'])} or left out`;
    case 'minLength':
      return 'must not be empty';
    case 'minItems':
      return `must list at least ${String(error.params['limit'])} entry`;
    case 'uniqueItems':
      return 'must not list the same entry twice';
    case 'pattern':
      return typeof schema['x-hint'] === 'string' ? schema['x-hint'] : `must match ${String(schema['pattern'])}`;
    default:
      return error.message ?? 'is invalid';
  }
}

function typeMessage(expected: string): string {
  switch (expected) {
    case 'boolean':
      return 'must be true or false';
    case 'string':
      return 'must be a text value';
    case 'array':
      return 'must be a list';
    case 'object':
      return 'must be a section of "key: value" entries';
    default:
      return `must be of type ${expected}`;
  }
}
