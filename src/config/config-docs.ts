/**
 * Generates docs/configuration.md from the schema and the defaults, so the reference cannot drift from
 * what is validated. scripts/generate-config-docs.ts writes it; a test regenerates it and compares.
 */
import { formatCodeRef } from './code-refs.js';
import { DEFAULT_CONFIG } from './defaults.js';
import { CONFIG_SCHEMA } from './schema.js';
import { rangeWords, type SchemaNode } from './schema-builders.js';
import type { Concept, ConceptMap } from './types.js';
import { CODE_LIST_SYNTAX, INTRODUCTION, RELOADING } from './config-docs-text.js';

function isNode(value: unknown): value is SchemaNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function properties(node: SchemaNode): [string, SchemaNode][] {
  const props = node['properties'];
  return isNode(props) ? Object.entries(props).filter((entry): entry is [string, SchemaNode] => isNode(entry[1])) : [];
}

/** Markdown table cells must not contain a bare `|` or a line break. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function typeOf(node: SchemaNode): string {
  const type = node['type'];
  if (type === 'array') {
    const items = isNode(node['items']) ? node['items'] : {};
    const itemType = Array.isArray(items['enum']) ? items['enum'].map((v) => `"${String(v)}"`).join(' | ') : String(items['type']);
    return `list of ${itemType}`;
  }
  if (Array.isArray(node['enum'])) {
    return node['enum'].map((v) => `"${String(v)}"`).join(' | ');
  }
  return type === 'integer' ? 'whole number' : String(type);
}

function defaultOf(node: SchemaNode): string {
  if (typeof node['x-shown'] === 'string') {
    return `\`${node['x-shown']}\``;
  }
  return 'default' in node ? `\`${JSON.stringify(node['default'])}\`` : '—';
}

function rangeOf(node: SchemaNode): string {
  const range = rangeWords(node);
  const unit = typeof node['x-unit'] === 'string' ? node['x-unit'] : '';
  return [unit, range].filter((part) => part !== '').join(', ') || '—';
}

function rows(node: SchemaNode, path: string, out: string[]): void {
  for (const [key, child] of properties(node)) {
    const childPath = path === '' ? key : `${path}.${key}`;
    if (child['type'] === 'object' && isNode(child['properties']) && child['additionalProperties'] === false && key !== 'jwks') {
      rows(child, childPath, out);
      continue;
    }
    const rule = typeof child['x-rule'] === 'string' ? child['x-rule'] : '—';
    const description = typeof child['description'] === 'string' ? child['description'] : '';
    out.push(`| \`${childPath}\` | ${cell(typeOf(child))} | ${cell(defaultOf(child))} | ${cell(rangeOf(child))} | ${cell(rule)} | ${cell(description)} |`);
  }
}

function keyTables(): string[] {
  const out: string[] = ['## Keys', ''];
  for (const [name, sectionNode] of properties(CONFIG_SCHEMA)) {
    if (name === 'codeLists') {
      continue;
    }
    out.push(`### \`${name}\``, '', String(sectionNode['description']), '');
    out.push('| Key | Type | Default | Unit, range | Rule | Description |', '|---|---|---|---|---|---|');
    rows(sectionNode, name, out);
    out.push('');
  }
  return out;
}

function conceptLines(id: string, concept: Concept): string {
  const codes = concept.codes.length === 0 ? '(none)' : concept.codes.map((c) => `\`${formatCodeRef(c)}\``).join(', ');
  const names = concept.names.length === 0 ? '(none)' : concept.names.map((n) => `"${n}"`).join(', ');
  return `| \`${id}\` | ${cell(codes)} | ${cell(names)} |`;
}

function conceptTable(title: string, entries: [string, Concept][]): string[] {
  return [`#### ${title}`, '', '| Concept | Codes | Names |', '|---|---|---|', ...entries.map(([id, c]) => conceptLines(id, c)), ''];
}

function mapEntries(map: ConceptMap): [string, Concept][] {
  return Object.entries(map);
}

function defaultLists(): string[] {
  const lists = DEFAULT_CONFIG.codeLists;
  const out: string[] = ['### Default code lists', ''];
  out.push(...conceptTable('`codeLists.oxygenDevices` (6.1, O1)', Object.entries(lists.oxygenDevices)));
  out.push(...conceptTable('`codeLists.vasopressors` (6.2, H2)', mapEntries(lists.vasopressors)));
  out.push(...conceptTable('`codeLists.inotropes` (6.2, H2)', mapEntries(lists.inotropes)));
  out.push(...conceptTable('`codeLists.antiCytokines` (6.3, F2, T-L)', mapEntries(lists.antiCytokines)));
  out.push(...conceptTable('`codeLists.corticosteroids` (6.3, F2, T-S, OS3)', mapEntries(lists.corticosteroids)));
  out.push(...conceptTable('`codeLists.antipyretics` (6.3, F2)', mapEntries(lists.antipyretics)));
  out.push(...conceptTable('`codeLists.crsTherapies.carT` (6.4, S1)', mapEntries(lists.crsTherapies.carT)));
  out.push(...conceptTable('`codeLists.crsTherapies.tCellEngagers` (6.4, S1)', mapEntries(lists.crsTherapies.tCellEngagers)));
  out.push(...conceptTable('`codeLists.crsConditions` (6.6, S2)', [['crsConditions', lists.crsConditions]]));
  out.push('#### `codeLists.observations` (6.5)', '', '| List | Codes |', '|---|---|');
  for (const [key, list] of Object.entries(lists.observations)) {
    out.push(`| \`${key}\` | ${cell((list ?? []).map((c) => `\`${formatCodeRef(c)}\``).join(', '))} |`);
  }
  out.push('');
  return out;
}

/** The whole of docs/configuration.md. */
export function generateConfigDocs(): string {
  return [
    '# crs-cds configuration reference',
    '',
    '<!-- Generated from src/config/schema.ts and src/config/defaults.ts by `npx tsx scripts/generate-config-docs.ts`. Do not edit by hand. -->',
    '',
    INTRODUCTION,
    ...keyTables(),
    '## Code lists (`codeLists`)',
    '',
    CODE_LIST_SYNTAX,
    ...defaultLists(),
    RELOADING,
  ].join('\n');
}
