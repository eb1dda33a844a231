/**
 * Small builders for the configuration JSON Schema. Each leaf carries its `description` (rule id, text,
 * unit, range, default), its `default`, and two annotations the docs generator reads: `x-rule` and `x-unit`.
 */

/** A JSON Schema node (draft 2020-12), kept loose: it is data for ajv and for the docs generator. */
export type SchemaNode = { readonly [keyword: string]: unknown };

interface Leaf {
  /** What the key controls, as a sentence fragment. */
  readonly text: string;
  /** crs-rules.md rule id (F1, H2, T-L, §2 ...) or `contract`. */
  readonly rule?: string;
  readonly unit?: string;
}

interface NumberLeaf extends Leaf {
  /** The default; absent for an optional key without one. */
  readonly value?: number;
  readonly integer?: boolean;
  readonly min?: number;
  readonly max?: number;
  /** Strict lower bound (a window or dose of 0 is meaningless). */
  readonly above?: number;
  /** How the default is written in the description when the number alone would lose precision (38.0). */
  readonly shown?: string;
}

/** The range of a number node in words, e.g. `between 37 and 40`, `greater than 0 and at most 168`. */
export function rangeWords(node: SchemaNode): string {
  const min = node['minimum'];
  const max = node['maximum'];
  const above = node['exclusiveMinimum'];
  if (typeof min === 'number' && typeof max === 'number') {
    return `between ${min} and ${max}`;
  }
  const parts: string[] = [];
  if (typeof above === 'number') {
    parts.push(`greater than ${above}`);
  }
  if (typeof min === 'number') {
    parts.push(`at least ${min}`);
  }
  if (typeof max === 'number') {
    parts.push(`at most ${max}`);
  }
  return parts.join(' and ');
}

function describe(leaf: Leaf, extra: readonly (string | undefined)[]): string {
  const head = leaf.rule === undefined ? leaf.text : `${leaf.rule} ${leaf.text}`;
  return [head, leaf.unit, ...extra].filter((part) => part !== undefined && part !== '').join(', ') + '.';
}

function annotations(leaf: Leaf): SchemaNode {
  return {
    ...(leaf.rule === undefined ? {} : { 'x-rule': leaf.rule }),
    ...(leaf.unit === undefined ? {} : { 'x-unit': leaf.unit }),
  };
}

/** A number (or whole number) with its bounds. */
export function num(leaf: NumberLeaf): SchemaNode {
  const bounds: SchemaNode = {
    ...(leaf.min === undefined ? {} : { minimum: leaf.min }),
    ...(leaf.max === undefined ? {} : { maximum: leaf.max }),
    ...(leaf.above === undefined ? {} : { exclusiveMinimum: leaf.above }),
  };
  const range = rangeWords(bounds);
  return {
    type: leaf.integer === true ? 'integer' : 'number',
    ...bounds,
    ...(leaf.value === undefined ? {} : { default: leaf.value }),
    ...(leaf.shown === undefined ? {} : { 'x-shown': leaf.shown }),
    description: describe(leaf, [
      range === '' ? undefined : range,
      leaf.value === undefined ? 'no default' : `default ${leaf.shown ?? String(leaf.value)}`,
    ]),
    ...annotations(leaf),
  };
}

/** A boolean switch. */
export function bool(leaf: Leaf & { readonly value: boolean }): SchemaNode {
  return { type: 'boolean', default: leaf.value, description: describe(leaf, [`default ${leaf.value}`]), ...annotations(leaf) };
}

/** A non-empty string; `value` absent means the key has no default (optional). */
export function str(leaf: Leaf & { readonly value?: string; readonly pattern?: string; readonly hint?: string }): SchemaNode {
  return {
    type: 'string',
    minLength: 1,
    ...(leaf.pattern === undefined ? {} : { pattern: leaf.pattern }),
    ...(leaf.hint === undefined ? {} : { 'x-hint': leaf.hint }),
    ...(leaf.value === undefined ? {} : { default: leaf.value }),
    description: describe(leaf, [leaf.value === undefined ? 'no default' : `default "${leaf.value}"`]),
    ...annotations(leaf),
  };
}

/** A list that replaces its default as a whole. */
export function list(leaf: Leaf & { readonly items: SchemaNode; readonly value: readonly unknown[] }): SchemaNode {
  const shown = leaf.value.length === 0 ? '[]' : JSON.stringify(leaf.value);
  return {
    type: 'array',
    items: leaf.items,
    default: leaf.value,
    description: describe(leaf, [`replaces the default list, default ${shown}`]),
    ...annotations(leaf),
  };
}

/** A section: known keys only (unknown keys are rejected with a "did you mean" hint). */
export function section(text: string, properties: Readonly<Record<string, SchemaNode>>, rule?: string): SchemaNode {
  return {
    type: 'object',
    description: rule === undefined ? text : `${rule} ${text}`,
    ...(rule === undefined ? {} : { 'x-rule': rule }),
    properties,
    additionalProperties: false,
  };
}
