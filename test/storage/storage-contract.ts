/**
 * The behaviour every Storage implementation owes crs-cds, as one parameterised suite: feedback (all or
 * nothing per call, per service, oldest first, exactly as received, kept across a reopen), the JWT replay
 * cache, the per-issuer rate limit through the real limiter, readiness and close. A new backend runs it
 * by calling `describeStorageContract` with its opener; backends shared by replicas (`shared`) must also
 * show that two instances on the same data see each other's ids and counts.
 */
import { randomUUID } from 'node:crypto';
import express from 'express';
import request from 'supertest';
import { afterAll, describe, expect, test } from 'vitest';
import { createIssuerRateLimit } from '../../src/auth/issuer-rate-limit.js';
import type { FeedbackEntry } from '../../src/protocol/request-schema.js';
import type { Storage } from '../../src/storage/storage.js';

export interface StorageUnderTest {
  /** Opens an instance on the backend's data (each call: another process/replica's view of the same data). */
  readonly open: () => Promise<Storage>;
  /** Removes the backend's data after the suite. */
  readonly cleanup: () => Promise<void>;
}

const overridden = (comment: string): FeedbackEntry => ({
  card: randomUUID(),
  outcome: 'overridden',
  overrideReason: { reason: { code: 'not-crs', system: 'https://crs-cds.example.org/override-reason', display: 'Not CRS' }, userComment: comment },
  outcomeTimestamp: '2026-11-21T10:00:00Z',
});
const accepted = (): FeedbackEntry => ({
  card: randomUUID(),
  outcome: 'accepted',
  acceptedSuggestions: [{ id: randomUUID() }],
  outcomeTimestamp: '2026-11-21T10:00:00.123+01:00',
});

/** A one-route app limited per issuer (the `x-iss` header stands for the verified issuer). */
function limitedApp(storage: Storage, perMinute: number): express.Express {
  const app = express();
  app.use((req, res, next) => {
    res.locals['cdsClient'] = { iss: req.get('x-iss') };
    next();
  });
  const limiter = createIssuerRateLimit(perMinute, storage.rateLimitStore);
  if (limiter !== undefined) app.use(limiter);
  app.get('/', (_req, res) => {
    res.json({ ok: true });
  });
  return app;
}

/**
 * Declares the contract suite for one backend.
 * @param name - the backend's name in test titles
 * @param shared - whether instances share auth state (replay ids, rate-limit counts), as replicas on PostgreSQL must
 * @param setUp - creates the backend's data once for the suite and answers how to open it
 */
export function describeStorageContract(name: string, shared: boolean, setUp: () => Promise<StorageUnderTest>): void {
  describe(`Storage contract: ${name}`, () => {
    const opened: Storage[] = [];
    let backend: StorageUnderTest | undefined;
    const open = async (): Promise<Storage> => {
      backend ??= await setUp();
      const storage = await backend.open();
      opened.push(storage);
      return storage;
    };
    afterAll(async () => {
      for (const storage of opened) await storage.close();
      await backend?.cleanup();
    });

    test('keeps every entry of a call per service, oldest first, exactly as received', async () => {
      const storage = await open();
      const first = [overridden('Ünïcode ✓ "quoted" \\ and a NUL \u0000 inside'), accepted()];
      const nulCode = { ...overridden('x'), overrideReason: { reason: { code: 'code-with-\u0000-nul' } } };
      await storage.feedback.save('contract-view', first, new Date('2026-11-21T10:01:00.250Z'));
      await storage.feedback.save('contract-view', [nulCode], new Date('2026-11-21T10:02:00Z'));
      await storage.feedback.save('contract-select', [accepted()], new Date('2026-11-21T10:03:00Z'));
      expect(await storage.feedback.list('contract-view')).toEqual([
        { serviceId: 'contract-view', receivedAt: '2026-11-21T10:01:00.250Z', entry: first[0] },
        { serviceId: 'contract-view', receivedAt: '2026-11-21T10:01:00.250Z', entry: first[1] },
        { serviceId: 'contract-view', receivedAt: '2026-11-21T10:02:00.000Z', entry: nulCode },
      ]);
      expect(await storage.feedback.list('contract-select')).toHaveLength(1);
      expect(await storage.feedback.list('contract-unknown')).toEqual([]);
    });

    test('stores all entries of a call or none', async () => {
      const storage = await open();
      // The second entry cannot be serialised: the first must not be kept either.
      const broken = { ...overridden('x'), outcomeTimestamp: 1n } as unknown as FeedbackEntry;
      await expect(storage.feedback.save('contract-atomic', [overridden('kept?'), broken], new Date())).rejects.toThrow();
      expect(await storage.feedback.list('contract-atomic')).toEqual([]);
    });

    test('keeps every one of many concurrent calls, and keeps them across a reopen', async () => {
      const storage = await open();
      const entries = Array.from({ length: 40 }, (_, i) => overridden(`concurrent ${i}`));
      await Promise.all(entries.map((entry) => storage.feedback.save('contract-concurrent', [entry], new Date())));
      const reopened = await open();
      const cards = (await reopened.feedback.list('contract-concurrent')).map((row) => row.entry.card);
      expect(cards.sort()).toEqual(entries.map((entry) => entry.card).sort());
    });

    test('refuses a jti until its token expires, each key on its own', async () => {
      const { replayCache } = await open();
      const key = `https://ehr.example.org\n${randomUUID()}`;
      expect(await replayCache.remember(key, 2_000, 1_000)).toBe('fresh');
      expect(await replayCache.remember(key, 2_000, 1_999)).toBe('replayed');
      expect(await replayCache.remember(`${key}-other`, 2_000, 1_999)).toBe('fresh');
      expect(await replayCache.remember(key, 4_000, 2_000)).toBe('fresh');
      expect(await replayCache.remember(key, 4_000, 3_000)).toBe('replayed');
    });

    test('accepts a jti presented many times at once exactly once', async () => {
      const { replayCache } = await open();
      const key = `https://ehr.example.org\n${randomUUID()}`;
      const verdicts = await Promise.all(Array.from({ length: 20 }, () => replayCache.remember(key, 10_000, 1_000)));
      expect(verdicts.filter((verdict) => verdict === 'fresh')).toHaveLength(1);
    });

    test('limits each issuer on its own and answers 429 past the limit', async () => {
      const app = limitedApp(await open(), 3);
      const iss = `https://ehr-${randomUUID()}.example.org`;
      for (let i = 0; i < 3; i += 1) expect((await request(app).get('/').set('x-iss', iss)).status).toBe(200);
      const refused = await request(app).get('/').set('x-iss', iss);
      expect(refused.status).toBe(429);
      expect((await request(app).get('/').set('x-iss', `${iss}/other`)).status).toBe(200);
    });

    test('answers readiness while open; after close, not ready, and closing again is harmless', async () => {
      const storage = await open();
      expect(await storage.ping()).toBe(true);
      await storage.close();
      expect(await storage.ping()).toBe(false);
      await storage.close();
    });

    if (shared) {
      test('shares replay ids and rate-limit counts between instances, as replicas need', async () => {
        const [a, b] = [await open(), await open()];
        const key = `iss\n${randomUUID()}`;
        expect(await a.replayCache.remember(key, 10_000, 1_000)).toBe('fresh');
        expect(await b.replayCache.remember(key, 10_000, 1_000)).toBe('replayed');
        const [appA, appB] = [limitedApp(a, 4), limitedApp(b, 4)];
        const iss = `https://ehr-${randomUUID()}.example.org`;
        const statuses: number[] = [];
        for (const app of [appA, appB, appA, appB, appA]) statuses.push((await request(app).get('/').set('x-iss', iss)).status);
        expect(statuses).toEqual([200, 200, 200, 200, 429]);
      });
    } else {
      test('keeps auth state per instance (one process per store)', async () => {
        const [a, b] = [await open(), await open()];
        const key = `iss\n${randomUUID()}`;
        expect(await a.replayCache.remember(key, 10_000, 1_000)).toBe('fresh');
        expect(await b.replayCache.remember(key, 10_000, 1_000)).toBe('fresh');
      });
    }
  });
}
