/**
 * Loads a site's configuration: parse (YAML or JSON by extension), validate (schema + semantic checks),
 * merge over DEFAULT_CONFIG (objects key by key, code lists by delta, other arrays replaced) and
 * deep-freeze. Pure and synchronous apart from reading the file; there is no global configuration.
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { ConfigError, type ConfigProblem } from './config-error.js';
import { DEFAULT_CONFIG } from './defaults.js';
import { mergeCodeLists } from './merge-code-lists.js';
import { semanticProblems } from './semantic-checks.js';
import type { Config } from './types.js';
import { schemaProblems } from './validate-schema.js';
import { isRecord } from '../is-record.js';

export { ConfigError } from './config-error.js';
export type { ConfigProblem } from './config-error.js';

/** Options of `parseConfig`. */
export interface ParseOptions {
  /** Directory that relative paths in the file (`cards.directory`) are resolved against. */
  readonly baseDir?: string;
}

/** Objects merge key by key; arrays and scalars from the site replace the default. */
function mergeValue(base: unknown, override: unknown): unknown {
  if (override === undefined) {
    return base;
  }
  if (isRecord(base) && isRecord(override)) {
    const result: Record<string, unknown> = { ...base };
    for (const [key, value] of Object.entries(override)) {
      // The schema reports these as unknown keys; never let them reach an object's prototype.
      if (key !== '__proto__' && key !== 'constructor' && key !== 'prototype') {
        result[key] = mergeValue(base[key], value);
      }
    }
    return result;
  }
  return override;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) {
      deepFreeze(child);
    }
    Object.freeze(value);
  }
  return value;
}

/**
 * Validates a parsed configuration file and merges it over the defaults.
 * @param raw - the parsed file (`undefined`/`null` = empty file = defaults)
 * @param options - `baseDir` for relative paths
 * @returns the frozen effective configuration
 * @throws ConfigError listing every problem found
 */
export function parseConfig(raw: unknown, options: ParseOptions = {}): Config {
  const input = raw === undefined || raw === null ? {} : raw;
  const problems: ConfigProblem[] = schemaProblems(input);
  const { codeLists: rawCodeLists, ...rawSections } = isRecord(input) ? input : {};
  const { codeLists: defaultCodeLists, ...defaultSections } = DEFAULT_CONFIG;
  const codeLists = mergeCodeLists(defaultCodeLists, rawCodeLists, problems);
  const merged = mergeValue(structuredClone(defaultSections), rawSections);
  // One sentence per key: a key the schema already refused is not checked again.
  const refused = new Set(problems.map((p) => p.path));
  problems.push(...semanticProblems(merged, codeLists).filter((p) => !refused.has(p.path)));
  if (problems.length > 0) {
    throw new ConfigError(problems);
  }
  const config = { ...(merged as Omit<Config, 'codeLists'>), codeLists } as Config;
  const directory = config.cards.directory;
  const cards = directory !== undefined && options.baseDir !== undefined ? { ...config.cards, directory: resolve(options.baseDir, directory) } : config.cards;
  // A fresh copy, so freezing never reaches DEFAULT_CONFIG's own objects.
  return deepFreeze(structuredClone({ ...config, cards }));
}

function readProblem(file: string, error: unknown): string {
  const code = isRecord(error) ? error['code'] : undefined;
  switch (code) {
    case 'ENOENT':
      return 'file not found';
    case 'EISDIR':
      return 'is a directory, not a file';
    case 'EACCES':
      return 'permission denied';
    default:
      return `cannot be read (${typeof code === 'string' ? code : 'unknown error'})`;
  }
}

/** Parses the text by the file's extension; syntax problems name the file, line and column. */
function parseText(file: string, text: string): unknown {
  const extension = extname(file).toLowerCase();
  if (extension === '.json') {
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      const message = error instanceof Error ? error.message : 'invalid JSON';
      throw new ConfigError([{ path: file, message: `is not valid JSON: ${message}` }], 'syntax', file);
    }
  }
  if (extension === '.yaml' || extension === '.yml') {
    const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
    if (document.errors.length > 0) {
      const problems = document.errors.map((e) => ({ path: file, message: `is not valid YAML: ${e.message.split('\n')[0] ?? e.code}` }));
      throw new ConfigError(problems, 'syntax', file);
    }
    return document.toJS() as unknown;
  }
  throw new ConfigError([{ path: file, message: `has extension "${extension}"; use .yaml, .yml or .json` }], 'unreadable', file);
}

/**
 * Reads, validates and merges a configuration file.
 * @param path - the file (YAML by `.yaml`/`.yml`, JSON by `.json`); `undefined` = built-in defaults
 * @throws ConfigError (`unreadable`, `syntax` or `invalid`) naming the file and every problem
 */
export function loadConfigFile(path: string | undefined): Config {
  if (path === undefined) {
    return parseConfig({});
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError([{ path, message: readProblem(path, error) }], 'unreadable', path);
  }
  const raw = parseText(path, text);
  let config: Config;
  try {
    config = parseConfig(raw, { baseDir: dirname(resolve(path)) });
  } catch (error) {
    throw error instanceof ConfigError ? new ConfigError(error.problems, error.reason, path) : error;
  }
  const directory = config.cards.directory;
  if (directory !== undefined && !isDirectory(directory)) {
    throw new ConfigError([{ path: 'cards.directory', message: `directory not found: ${directory}` }], 'invalid', path);
  }
  return config;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * The configuration named by `CRS_CDS_CONFIG` (absent or empty = built-in defaults).
 * @param env - usually `process.env`
 */
export function loadConfigFromEnv(env: Readonly<Record<string, string | undefined>>): Config {
  const path = env['CRS_CDS_CONFIG'];
  return loadConfigFile(path === undefined || path.trim() === '' ? undefined : path);
}
