/**
 * Abuse limits of a hook body: how deep it may nest and how many prefetch keys and resources it may
 * carry. Each limit answers with an OperationOutcome (400, 413) instead of letting a hostile request
 * crash the process, exhaust the stack or grow memory without bound. (Admission of calls: admission.ts;
 * slow clients and connections per address: http-server.ts.)
 */
import type { RequestHandler } from 'express';
import { sendOutcome } from '../auth/outcome.js';

export interface HookBodyLimits {
  /** Deepest accepted nesting of arrays and objects (a FHIR Bundle in prefetch needs about 20). */
  readonly maxDepth: number;
  /** Most prefetch keys accepted (our services declare a handful). */
  readonly maxPrefetchKeys: number;
  /** Most resources accepted across all prefetch values (Bundle entries count one each). */
  readonly maxPrefetchResources: number;
}

export const DEFAULT_HOOK_BODY_LIMITS: HookBodyLimits = {
  maxDepth: 64,
  maxPrefetchKeys: 32,
  maxPrefetchResources: 20_000,
};

/** A body refused by a limit: the status and the fixed text of its OperationOutcome. */
export interface LimitViolation {
  readonly status: 400 | 413;
  readonly text: string;
  /** The request member at fault, when one is. */
  readonly expression?: string;
}

const DEPTH_VIOLATION: LimitViolation = { status: 400, text: 'Request body nests too deeply' };

/**
 * Whether a parsed JSON value nests deeper than `maxDepth`. The walk descends at most `maxDepth` levels,
 * so a hostile body cannot overflow the stack here (the value of a 1 MB `[[[[...` is a million deep).
 * @param value - parsed JSON
 * @param maxDepth - deepest accepted nesting; a scalar has depth 0, `{}` depth 1
 */
export function jsonDepthExceeds(value: unknown, maxDepth: number): boolean {
  return value !== null && typeof value === 'object' && nestsBeyond(value, maxDepth);
}

/** Whether an object or array, itself one level, has more than `levels` levels. */
function nestsBeyond(node: object, levels: number): boolean {
  if (levels === 0) return true;
  // Indexed and keyed loops allocate nothing: this runs on every hook body (Object.values cost 10x more).
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i += 1) {
      const child: unknown = node[i];
      if (child !== null && typeof child === 'object' && nestsBeyond(child, levels - 1)) return true;
    }
    return false;
  }
  for (const key in node) {
    const child: unknown = (node as Record<string, unknown>)[key];
    if (child !== null && typeof child === 'object' && nestsBeyond(child, levels - 1)) return true;
  }
  return false;
}

/**
 * Whether raw JSON text nests deeper than `maxDepth`, scanned before parsing (brackets inside strings
 * ignored). Meant for the `verify` option of `express.json`, so a deep body is refused before
 * `JSON.parse` builds it.
 * @param raw - the request body bytes
 * @param maxDepth - deepest accepted nesting
 */
export function rawJsonDepthExceeds(raw: Buffer, maxDepth: number): boolean {
  let depth = 0;
  for (let i = 0; i < raw.length; i += 1) {
    const byte = raw[i];
    if (byte === 0x22) {
      // Strings are most of a FHIR body: jump to the closing quote natively instead of byte by byte.
      i = closingQuote(raw, i);
      if (i < 0) {
        return false; // unterminated: the JSON parser refuses it
      }
    } else if (byte === 0x5b || byte === 0x7b) {
      depth += 1;
      if (depth > maxDepth) {
        return true;
      }
    } else if (byte === 0x5d || byte === 0x7d) {
      depth -= 1;
    }
  }
  return false;
}

/** Index of the quote closing the string opened at `open` (a quote after an odd run of backslashes is escaped), or -1. */
function closingQuote(raw: Buffer, open: number): number {
  let at = raw.indexOf(0x22, open + 1);
  while (at >= 0) {
    let backslashes = 0;
    while (raw[at - 1 - backslashes] === 0x5c) {
      backslashes += 1;
    }
    if (backslashes % 2 === 0) {
      return at;
    }
    at = raw.indexOf(0x22, at + 1);
  }
  return -1;
}

/**
 * Bodies larger than this are scanned for depth before `JSON.parse`: parsing a hostile deeply nested body
 * costs about 0.3 s per MiB (30 times an ordinary FHIR body), so a large one is refused before it is
 * built. A smaller one is parsed first and walked ({@link jsonDepthLimit}): the walk costs a sixth of the
 * scan (0.13 vs 0.75 ms for the 253 KiB body of `npm run bench:http`), and parsing it costs at most 0.3 s.
 */
export const PRE_PARSE_DEPTH_SCAN_BYTES = 1024 * 1024;

/**
 * An `express.json({ verify })` callback refusing over-deep bodies with 400 before they are parsed.
 * @param maxDepth - deepest accepted nesting
 * @param minBytes - only bodies larger than this are scanned (the others by {@link jsonDepthLimit})
 */
export function jsonDepthVerify(
  maxDepth = DEFAULT_HOOK_BODY_LIMITS.maxDepth,
  minBytes = PRE_PARSE_DEPTH_SCAN_BYTES,
): (req: unknown, res: unknown, raw: Buffer) => void {
  return (_req: unknown, _res: unknown, raw: Buffer): void => {
    if (raw.length > minBytes && rawJsonDepthExceeds(raw, maxDepth)) {
      throw Object.assign(new Error('JSON nesting too deep'), { status: 400, type: 'entity.too.deep' });
    }
  };
}

/**
 * Middleware after the JSON parser: 400 with an OperationOutcome for a parsed body nesting deeper than
 * `maxDepth` (every hook and feedback body, whether or not `jsonDepthVerify` scanned it).
 * @param maxDepth - deepest accepted nesting
 */
export function jsonDepthLimit(maxDepth = DEFAULT_HOOK_BODY_LIMITS.maxDepth): RequestHandler {
  return (req, res, next) => {
    if (jsonDepthExceeds(req.body, maxDepth)) {
      sendOutcome(res, 400, 'invalid', DEPTH_VIOLATION.text);
      return;
    }
    next();
  };
}

const countResources = (value: unknown): number => {
  if (value === null || typeof value !== 'object') {
    return 0;
  }
  const entry = (value as { entry?: unknown }).entry;
  return Array.isArray(entry) ? entry.length : 1;
};

/**
 * Checks a parsed hook body against the limits.
 * @param body - the parsed request body
 * @param limits - depth and prefetch limits
 * @param depthChecked - the body already passed `jsonDepthLimit`, so the depth walk is skipped
 * @returns the violation, or `undefined` when the body is within every limit
 */
export function checkHookBody(body: unknown, limits: HookBodyLimits = DEFAULT_HOOK_BODY_LIMITS, depthChecked = false): LimitViolation | undefined {
  if (!depthChecked && jsonDepthExceeds(body, limits.maxDepth)) {
    return DEPTH_VIOLATION;
  }
  const prefetch = body !== null && typeof body === 'object' ? (body as { prefetch?: unknown }).prefetch : undefined;
  if (prefetch === null || typeof prefetch !== 'object') {
    return undefined;
  }
  const values = Object.values(prefetch);
  if (values.length > limits.maxPrefetchKeys) {
    return { status: 413, text: 'Too many prefetch keys', expression: 'prefetch' };
  }
  const resources = values.reduce((sum: number, value) => sum + countResources(value), 0);
  if (resources > limits.maxPrefetchResources) {
    return { status: 413, text: 'Too many prefetch resources', expression: 'prefetch' };
  }
  return undefined;
}

/**
 * Middleware applying `checkHookBody` to hook calls (after the JSON parser).
 * @param limits - depth and prefetch limits
 * @param depthChecked - `jsonDepthLimit` ran before with the same depth: a second walk would only repeat it
 */
export function hookBodyLimits(limits: HookBodyLimits = DEFAULT_HOOK_BODY_LIMITS, depthChecked = false): RequestHandler {
  return (req, res, next) => {
    const violation = checkHookBody(req.body, limits, depthChecked);
    if (violation === undefined) {
      next();
      return;
    }
    const expression = violation.expression === undefined ? [] : [violation.expression];
    sendOutcome(res, violation.status, violation.status === 400 ? 'invalid' : 'too-costly', violation.text, expression);
  };
}
