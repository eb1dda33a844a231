/**
 * Card wording (style.md "Cards"): loads the built-in templates from `cards/` and a site's overrides,
 * and validates every one of them (required fields, indicator, known placeholders only) so that a bad
 * template stops start-up with every problem listed, never reaches a physician half-rendered.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Indicator } from './card-types.js';
import {
  CARD_TEMPLATE_SPECS,
  PHRASE_SPECS,
  PHRASES_ID,
  type CardTemplateId,
  type PhraseKey,
} from './template-catalog.js';
import { OVERRIDE_REASON_SYSTEM } from '../config/defaults.js';
import { isRecord } from '../is-record.js';

export interface TemplateLink {
  readonly label: string;
  readonly url: string;
  readonly type: 'absolute';
}

export interface TemplateOverrideReason {
  readonly system: string;
  readonly code: string;
  readonly display: string;
}

/** One card template (`cards/<id>.json`). Text fields may hold `{{placeholders}}`; the others are literal. */
export interface CardTemplate {
  readonly id: CardTemplateId;
  readonly indicator: Indicator;
  readonly summary: string;
  /** Used when `summary` renders to 140 characters or more. */
  readonly summaryShort?: string;
  readonly detail: string;
  readonly source: { readonly label: string; readonly url?: string };
  readonly links?: readonly TemplateLink[];
  readonly overrideReasons?: readonly TemplateOverrideReason[];
}

/** Every card template and phrase, validated. */
export interface CardTemplates {
  readonly cards: Readonly<Record<CardTemplateId, CardTemplate>>;
  readonly phrases: Readonly<Record<PhraseKey, string>>;
}

/** Thrown by {@link loadCardTemplates}: one line per problem, each naming the file and the field. */
export class TemplateError extends Error {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(`invalid card templates:\n${problems.join('\n')}`);
    this.name = 'TemplateError';
    this.problems = problems;
  }
}

interface RawFile {
  readonly file: string;
  readonly body: Record<string, unknown>;
}

const CARD_FIELDS = new Set(['$comment', 'id', 'indicator', 'summary', 'summaryShort', 'detail', 'source', 'links', 'overrideReasons']);
const INDICATORS: readonly Indicator[] = ['info', 'warning', 'critical'];
const PLACEHOLDER = /\{\{([^{}]*)\}\}/g;
const IDENTIFIER = /^\s*([A-Za-z][A-Za-z0-9]*)\s*$/;

function isKnownCardId(id: string): id is CardTemplateId {
  return Object.hasOwn(CARD_TEMPLATE_SPECS, id);
}

/** `cards/` next to the sources, from `src/recommend/` and from a build under `dist/src/recommend/`. */
function builtInDirectory(): string {
  const candidates = ['../../cards/', '../../../cards/'].map((rel) => fileURLToPath(new URL(rel, import.meta.url)));
  return candidates.find((dir) => existsSync(join(dir, `${PHRASES_ID}.json`))) ?? (candidates[0] as string);
}

function readDirectory(dir: string, label: (file: string) => string, problems: string[]): Map<string, RawFile> {
  const byId = new Map<string, RawFile>();
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    problems.push(`${dir}: directory not found`);
    return byId;
  }
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) {
    const file = label(name);
    let body: unknown;
    try {
      body = JSON.parse(readFileSync(join(dir, name), 'utf8'));
    } catch (error) {
      problems.push(`${file}: not valid JSON (${error instanceof Error ? error.message : 'unreadable'})`);
      continue;
    }
    if (!isRecord(body) || typeof body['id'] !== 'string') {
      problems.push(`${file}: id: required string`);
      continue;
    }
    const id = body['id'];
    if (id !== PHRASES_ID && !isKnownCardId(id)) {
      problems.push(`${file}: id: unknown template id "${id}"`);
      continue;
    }
    const earlier = byId.get(id);
    if (earlier !== undefined) problems.push(`${file}: id: "${id}" is also defined in ${earlier.file}`);
    byId.set(id, { file, body });
  }
  return byId;
}

/** Every placeholder problem of one text field. */
function checkText(value: unknown, allowed: readonly string[], where: string, problems: string[], required = true): void {
  if (value === undefined && !required) return;
  if (typeof value !== 'string' || value.trim() === '') {
    problems.push(`${where}: required non-empty string`);
    return;
  }
  for (const match of value.matchAll(PLACEHOLDER)) {
    const name = IDENTIFIER.exec(match[1] ?? '')?.[1];
    if (name === undefined) problems.push(`${where}: malformed placeholder ${match[0]}`);
    else if (!allowed.includes(name)) {
      problems.push(`${where}: unknown placeholder {{${name}}} (known: ${allowed.join(', ') || 'none'})`);
    }
  }
  const rest = value.replace(PLACEHOLDER, '');
  if (rest.includes('{{') || rest.includes('}}')) problems.push(`${where}: unbalanced {{ or }}`);
}

function checkUrl(value: unknown, where: string, problems: string[]): void {
  if (typeof value !== 'string') {
    problems.push(`${where}: required absolute http(s) URL`);
    return;
  }
  try {
    const url = new URL(value);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') problems.push(`${where}: must be an http(s) URL`);
  } catch {
    problems.push(`${where}: not an absolute URL`);
  }
}

function checkLinks(value: unknown, where: string, problems: string[]): void {
  if (value === undefined) return;
  if (!Array.isArray(value) || value.length === 0) {
    problems.push(`${where}: must be a non-empty array when present`);
    return;
  }
  value.forEach((link: unknown, i) => {
    const at = `${where}[${i}]`;
    if (!isRecord(link)) return void problems.push(`${at}: must be an object`);
    checkText(link['label'], [], `${at}.label`, problems);
    checkUrl(link['url'], `${at}.url`, problems);
    if (link['type'] !== 'absolute') problems.push(`${at}.type: must be "absolute"`);
  });
}

function checkOverrideReasons(value: unknown, where: string, problems: string[]): void {
  if (value === undefined) return;
  if (!Array.isArray(value) || value.length === 0) {
    problems.push(`${where}: must be a non-empty array when present`);
    return;
  }
  value.forEach((reason: unknown, i) => {
    const at = `${where}[${i}]`;
    if (!isRecord(reason)) return void problems.push(`${at}: must be an object with code and display`);
    if (typeof reason['code'] !== 'string' || !/^\S+$/.test(reason['code'])) {
      problems.push(`${at}.code: required token (no spaces)`);
    }
    checkText(reason['display'], [], `${at}.display`, problems);
    if (reason['system'] !== undefined) checkUrl(reason['system'], `${at}.system`, problems);
  });
}

function validateCard(id: CardTemplateId, raw: RawFile, problems: string[], reasonSystem: string): CardTemplate {
  const { file, body } = raw;
  const spec = CARD_TEMPLATE_SPECS[id];
  const at = (field: string): string => `${file}: ${field}`;
  for (const key of Object.keys(body)) if (!CARD_FIELDS.has(key)) problems.push(at(`${key}: unknown field`));
  if (!INDICATORS.includes(body['indicator'] as Indicator)) {
    problems.push(at(`indicator: must be one of ${INDICATORS.join(', ')}`));
  } else if (body['indicator'] !== spec.indicator) {
    problems.push(at(`indicator: must be "${spec.indicator}" for ${id} (fixed by crs-rules.md)`));
  }
  checkText(body['summary'], spec.placeholders, at('summary'), problems);
  checkText(body['summaryShort'], spec.placeholders, at('summaryShort'), problems, false);
  checkText(body['detail'], spec.placeholders, at('detail'), problems);
  const source = body['source'];
  if (!isRecord(source)) problems.push(at('source: required object with label'));
  else {
    checkText(source['label'], [], at('source.label'), problems);
    if (source['url'] !== undefined) checkUrl(source['url'], at('source.url'), problems);
  }
  checkLinks(body['links'], at('links'), problems);
  checkOverrideReasons(body['overrideReasons'], at('overrideReasons'), problems);
  const reasons = Array.isArray(body['overrideReasons']) ? (body['overrideReasons'] as Record<string, unknown>[]) : [];
  return {
    id,
    indicator: spec.indicator,
    summary: String(body['summary']),
    ...(typeof body['summaryShort'] === 'string' ? { summaryShort: body['summaryShort'] } : {}),
    detail: String(body['detail']),
    source: isRecord(source)
      ? { label: String(source['label']), ...(typeof source['url'] === 'string' ? { url: source['url'] } : {}) }
      : { label: '' },
    ...(Array.isArray(body['links']) ? { links: body['links'] as TemplateLink[] } : {}),
    ...(reasons.length > 0
      ? {
          overrideReasons: reasons.map((r) => ({
            system: typeof r['system'] === 'string' ? r['system'] : reasonSystem,
            code: String(r['code']),
            display: String(r['display']),
          })),
        }
      : {}),
  };
}

function validatePhrases(raw: RawFile, problems: string[]): Record<PhraseKey, string> {
  const { file, body } = raw;
  for (const key of Object.keys(body)) {
    if (!['$comment', 'id', 'phrases'].includes(key)) problems.push(`${file}: ${key}: unknown field`);
  }
  const phrases = isRecord(body['phrases']) ? body['phrases'] : {};
  if (!isRecord(body['phrases'])) problems.push(`${file}: phrases: required object`);
  for (const key of Object.keys(phrases)) {
    if (!Object.hasOwn(PHRASE_SPECS, key)) problems.push(`${file}: phrases.${key}: unknown phrase`);
  }
  const out: Partial<Record<PhraseKey, string>> = {};
  for (const [key, allowed] of Object.entries(PHRASE_SPECS) as [PhraseKey, readonly string[]][]) {
    checkText(phrases[key], allowed, `${file}: phrases.${key}`, problems);
    out[key] = String(phrases[key] ?? '');
  }
  return out as Record<PhraseKey, string>;
}

/**
 * Loads and validates the card templates.
 * @param options - `overrideDir`: a site directory whose `*.json` files replace built-ins of the same id;
 *   `overrideReasonSystem`: the code system of override reasons that name none (`cards.overrideReasonSystem`)
 * @returns every card template and the phrases
 * @throws TemplateError listing every problem, with file and field
 */
export function loadCardTemplates(options: { overrideDir?: string; overrideReasonSystem?: string } = {}): CardTemplates {
  const problems: string[] = [];
  const files = readDirectory(builtInDirectory(), (name) => `cards/${name}`, problems);
  if (options.overrideDir !== undefined) {
    const dir = options.overrideDir;
    for (const [id, raw] of readDirectory(dir, (name) => join(dir, name), problems)) files.set(id, raw);
  }
  const cards: Partial<Record<CardTemplateId, CardTemplate>> = {};
  for (const id of Object.keys(CARD_TEMPLATE_SPECS) as CardTemplateId[]) {
    const raw = files.get(id);
    if (raw === undefined) problems.push(`cards/${id}.json: missing template "${id}"`);
    else cards[id] = validateCard(id, raw, problems, options.overrideReasonSystem ?? OVERRIDE_REASON_SYSTEM);
  }
  const phraseFile = files.get(PHRASES_ID);
  if (phraseFile === undefined) problems.push(`cards/${PHRASES_ID}.json: missing phrase file`);
  const phrases = phraseFile === undefined ? undefined : validatePhrases(phraseFile, problems);
  if (problems.length > 0 || phrases === undefined) throw new TemplateError(problems);
  return { cards: cards as Record<CardTemplateId, CardTemplate>, phrases };
}
