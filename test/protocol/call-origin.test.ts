/**
 * The origin the timeline link is derived from when nothing is configured (issue 12): the protocol and
 * Host of the call, a plain host only; X-Forwarded-* never counts while `trust proxy` is off.
 */
import request from 'supertest';
import { describe, expect, test } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/defaults.js';
import { buildRuntime } from '../../src/engine/build-runtime.js';
import { callOrigin, plainHost } from '../../src/protocol/call-origin.js';
import { createApp } from '../../src/protocol/app.js';
import { openSqliteFeedbackStore } from '../../src/storage/sqlite-feedback-store.js';
import { readFileSync } from 'node:fs';
import { memoryLogger } from '../support/hook-requests.js';

describe('plainHost', () => {
  test.each([
    ['127.0.0.1:3000', '127.0.0.1:3000'],
    ['localhost', 'localhost'],
    ['CDS.Example.org', 'cds.example.org'],
    ['cds-1.example.org:8443', 'cds-1.example.org:8443'],
    ['[::1]:8080', '[::1]:8080'],
  ])('accepts %s as %s', (value, host) => {
    expect(plainHost(value)).toBe(host);
  });

  test.each([
    ['a path', 'evil.example.org/phish'],
    ['user info', 'user@evil.example.org'],
    ['a query', 'cds.example.org?x=1'],
    ['a fragment', 'cds.example.org#x'],
    ['a space', 'cds.example.org evil'],
    ['a percent-escape', 'cds%2eexample.org'],
    ['markdown', 'cds.example.org)[x](javascript:alert(1)'],
    ['a backslash', 'evil.example.org\\@cds.example.org'],
    ['an empty label', 'cds..example.org'],
    ['a trailing dot', 'cds.example.org.'],
    ['a label over 63 characters', `${'a'.repeat(64)}.example.org`],
    ['an impossible IPv4', '999.1.1.1'],
    ['an abbreviated IPv4', '127.1'],
    ['a port out of range', 'cds.example.org:65536'],
    ['port 0', 'cds.example.org:0'],
    ['an empty port', 'cds.example.org:'],
    ['a non-ASCII name', 'bücher.example'],
    ['an unclosed IPv6 literal', '[::1'],
    ['nothing', ''],
  ])('refuses %s', (_name, value) => {
    expect(plainHost(value)).toBeUndefined();
  });

  test('callOrigin joins the protocol; only http and https', () => {
    expect(callOrigin({ protocol: 'https', host: 'cds.example.org' })).toBe('https://cds.example.org');
    expect(callOrigin({ protocol: 'ftp', host: 'cds.example.org' } as never)).toBeUndefined();
    expect(callOrigin({ protocol: 'http', host: undefined } as never)).toBeUndefined();
  });
});

describe('the timeline link of a default-configured service', () => {
  const example = JSON.parse(readFileSync(new URL('../../examples/requests/patient-view-grade-2.json', import.meta.url), 'utf8')) as object;
  const runtime = buildRuntime({ ...DEFAULT_CONFIG, storage: { ...DEFAULT_CONFIG.storage, sqlitePath: ':memory:' } });
  const app = createApp({
    runtime: () => runtime,
    logger: memoryLogger().logger,
    feedbackStore: openSqliteFeedbackStore(':memory:'),
    now: () => new Date('2026-11-21T10:00:00Z'),
  });
  const smartLinks = async (headers: Record<string, string>) => {
    const res = await request(app).post('/cds-services/crs-patient-view').set(headers).send(example).expect(200);
    return (res.body.cards as { links?: { type: string; url: string }[] }[]).flatMap((c) => (c.links ?? []).filter((l) => l.type === 'smart'));
  };

  test('points at /app/launch on the host the EHR called', async () => {
    expect(await smartLinks({ Host: 'cds.example.org:3000' })).toEqual([{ label: 'Open CRS timeline', url: 'http://cds.example.org:3000/app/launch', type: 'smart' }]);
  });

  test('ignores X-Forwarded-Proto and X-Forwarded-Host while trust proxy is off', async () => {
    const links = await smartLinks({ Host: 'cds.example.org', 'X-Forwarded-Host': 'evil.example.org', 'X-Forwarded-Proto': 'https' });
    expect(links.map((l) => l.url)).toEqual(['http://cds.example.org/app/launch']);
  });

  test('a Host that is not a plain host gives no link rather than a crafted one', async () => {
    expect(await smartLinks({ Host: 'user@evil.example.org' })).toEqual([]);
  });
});
