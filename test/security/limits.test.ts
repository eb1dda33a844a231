import express from 'express';
import fc from 'fast-check';
import request from 'supertest';
import { describe, expect, test } from 'vitest';
import {
  checkHookBody,
  hookBodyLimits,
  jsonDepthExceeds,
  jsonDepthLimit,
  jsonDepthVerify,
  PRE_PARSE_DEPTH_SCAN_BYTES,
  rawJsonDepthExceeds,
} from '../../src/protocol/limits.js';

const nested = (depth: number): unknown => {
  let value: unknown = 1;
  for (let i = 0; i < depth; i += 1) {
    value = i % 2 === 0 ? [value] : { a: value };
  }
  return value;
};

describe('JSON depth', () => {
  test.each([
    [0, false],
    [64, false],
    [65, true],
  ])('parsed value nested %i deep exceeds 64: %s', (depth, exceeds) => {
    expect(jsonDepthExceeds(nested(depth), 64)).toBe(exceeds);
  });

  test('walks a 100 000-deep value without overflowing the stack', () => {
    const deep = JSON.parse(`${'['.repeat(100_000)}${']'.repeat(100_000)}`) as unknown;
    expect(jsonDepthExceeds(deep, 64)).toBe(true);
  });

  test('raw scan counts brackets outside strings only', () => {
    expect(rawJsonDepthExceeds(Buffer.from(JSON.stringify(nested(64))), 64)).toBe(false);
    expect(rawJsonDepthExceeds(Buffer.from(JSON.stringify(nested(65))), 64)).toBe(true);
    expect(rawJsonDepthExceeds(Buffer.from(JSON.stringify({ text: '[[[[[[[[[[\\"[[[[' })), 3)).toBe(false);
  });

  test('raw scan: escaped quotes and backslashes before a closing quote do not end or extend a string', () => {
    // "a\\" is a string ending in one backslash: the bracket after it is structure.
    expect(rawJsonDepthExceeds(Buffer.from('["a\\\\", [["x"]]]'), 2)).toBe(true);
    expect(rawJsonDepthExceeds(Buffer.from('["a\\"[[[", 1]'), 1)).toBe(false);
    expect(rawJsonDepthExceeds(Buffer.from('["unterminated [[[['), 1)).toBe(false);
  });

  test('raw scan of the serialised text agrees with the walk of the parsed value, for any JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), fc.integer({ min: 0, max: 8 }), (value, maxDepth) => {
        expect(rawJsonDepthExceeds(Buffer.from(JSON.stringify(value)), maxDepth)).toBe(jsonDepthExceeds(value, maxDepth));
      }),
      { numRuns: 500 },
    );
  });

  /** An app parsing with `verify`, answering with whether the route saw a body, and the parser's error status. */
  const parsingApp = (verify: ReturnType<typeof jsonDepthVerify>, ...after: express.RequestHandler[]): express.Express => {
    const app = express();
    app.use(express.json({ limit: '4mb', verify }), ...after);
    app.post('/x', (_req, res) => void res.json({ parsed: true }));
    app.use((err: { status?: number }, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      res.status(err.status ?? 500).json({ status: err.status });
    });
    return app;
  };
  /** `depth` nested arrays inside one more, padded with spaces to `padTo` bytes. */
  const deepText = (depth: number, padTo = 0): string => `[${' '.repeat(Math.max(0, padTo - 2 * depth - 2))}${'['.repeat(depth)}${']'.repeat(depth)}]`;

  test('jsonDepthVerify answers 400 before parsing a deep body larger than its threshold', async () => {
    const res = await request(parsingApp(jsonDepthVerify(64, 0))).post('/x').type('json').send(deepText(1000));
    expect(res.status).toBe(400);
  });

  test('by default only bodies over 1 MiB are scanned before parsing; smaller ones are left to jsonDepthLimit', async () => {
    const small = await request(parsingApp(jsonDepthVerify(64))).post('/x').type('json').send(deepText(1000));
    expect(small.body).toEqual({ parsed: true });
    const large = deepText(1000, PRE_PARSE_DEPTH_SCAN_BYTES + 10);
    expect(Buffer.byteLength(large)).toBeGreaterThan(PRE_PARSE_DEPTH_SCAN_BYTES);
    const refused = await request(parsingApp(jsonDepthVerify(64))).post('/x').type('json').send(large);
    expect(refused.status).toBe(400);
  });

  test('jsonDepthLimit answers 400 with an OperationOutcome to a parsed body nesting deeper than the limit', async () => {
    const app = parsingApp(jsonDepthVerify(64), jsonDepthLimit(64));
    const res = await request(app).post('/x').type('json').send(JSON.stringify(nested(65)));
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text)).toEqual({
      resourceType: 'OperationOutcome',
      issue: [{ severity: 'error', code: 'invalid', diagnostics: 'Request body nests too deeply' }],
    });
    const within = await request(app).post('/x').type('json').send(JSON.stringify(nested(64)));
    expect(within.body).toEqual({ parsed: true });
  });
});

describe('checkHookBody', () => {
  test('accepts an ordinary hook body', () => {
    const body = { hook: 'patient-view', context: { patientId: '1' }, prefetch: { patient: { resourceType: 'Patient' } } };
    expect(checkHookBody(body)).toBeUndefined();
  });

  test('refuses a body nested deeper than 64 with 400', () => {
    expect(checkHookBody({ hook: 'patient-view', context: nested(70) })).toEqual({
      status: 400,
      text: 'Request body nests too deeply',
    });
  });

  test('refuses more than 32 prefetch keys with 413', () => {
    const prefetch = Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`k${i}`, null]));
    expect(checkHookBody({ prefetch })?.status).toBe(413);
  });

  test('refuses more prefetch resources than the limit with 413', () => {
    const bundle = { resourceType: 'Bundle', entry: Array.from({ length: 11 }, () => ({})) };
    const limits = { maxDepth: 64, maxPrefetchKeys: 32, maxPrefetchResources: 10 };
    expect(checkHookBody({ prefetch: { a: bundle } }, limits)).toEqual({ status: 413, text: 'Too many prefetch resources', expression: 'prefetch' });
    expect(checkHookBody({ prefetch: { a: { ...bundle, entry: bundle.entry.slice(1) } } }, limits)).toBeUndefined();
  });

  test('the middleware answers with an OperationOutcome', async () => {
    const app = express();
    app.use(express.json(), hookBodyLimits());
    app.post('/x', (_req, res) => void res.json({ ok: true }));
    const res = await request(app).post('/x').send({ context: nested(70) });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text)).toEqual({
      resourceType: 'OperationOutcome',
      issue: [{ severity: 'error', code: 'invalid', diagnostics: 'Request body nests too deeply' }],
    });
  });
});
