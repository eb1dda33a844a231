import { describe, expect, test } from 'vitest';
import { ConfigError } from '../../src/config/config-error.js';
import { createReloadable } from '../../src/config/reloadable.js';

interface Snapshot {
  readonly version: number;
  readonly grading: { readonly version: number };
  readonly lists: readonly number[];
}

function snapshot(version: number): Snapshot {
  return Object.freeze({ version, grading: Object.freeze({ version }), lists: Object.freeze([version, version]) });
}

function recordingLog(): { info: string[]; error: { obj: unknown; msg: string }[]; log: { info(m: string): void; error(o: unknown, m: string): void } } {
  const info: string[] = [];
  const error: { obj: unknown; msg: string }[] = [];
  return { info, error, log: { info: (m) => info.push(m), error: (obj, msg) => error.push({ obj, msg }) } };
}

describe('createReloadable', () => {
  test('loads once at creation and serves that value', () => {
    let calls = 0;
    const holder = createReloadable(() => snapshot(++calls), recordingLog().log);
    expect(holder.current().version).toBe(1);
    expect(holder.current()).toBe(holder.current());
    expect(calls).toBe(1);
  });

  test('propagates a failure of the first load, so start-up stops', () => {
    expect(() => createReloadable(() => { throw new ConfigError([{ path: 'grading.sbpBelow', message: 'x' }]); }, recordingLog().log)).toThrow(ConfigError);
  });

  test('swaps to the new value on a valid reload and logs it', () => {
    let version = 1;
    const { info, log } = recordingLog();
    const holder = createReloadable(() => snapshot(version), log);
    const before = holder.current();
    version = 2;
    expect(holder.reload()).toBe(true);
    expect(holder.current().version).toBe(2);
    expect(before.version).toBe(1); // a request holding the old snapshot keeps it
    expect(info).toEqual(['configuration reloaded']);
  });

  test('keeps the running value when the new one is invalid, and logs every problem without a stack', () => {
    let fail = false;
    const { error, log } = recordingLog();
    const holder = createReloadable(() => {
      if (fail) {
        throw new ConfigError([{ path: 'grading.feverCelsius', message: 'must be a number between 37 and 40' }, { path: 'fhir.timeoutMs', message: 'must be a whole number between 100 and 30000' }], 'invalid', '/etc/crs.yaml');
      }
      return snapshot(1);
    }, log);
    const running = holder.current();
    fail = true;
    expect(holder.reload()).toBe(false);
    expect(holder.current()).toBe(running);
    expect(error).toEqual([{
      obj: { reason: 'invalid', file: '/etc/crs.yaml', problems: [{ path: 'grading.feverCelsius', message: 'must be a number between 37 and 40' }, { path: 'fhir.timeoutMs', message: 'must be a whole number between 100 and 30000' }] },
      msg: 'configuration reload failed; keeping the running configuration',
    }]);
    expect(JSON.stringify(error)).not.toContain('at ');
  });

  test('logs only the name and message of an unexpected error', () => {
    const { error, log } = recordingLog();
    let fail = false;
    const holder = createReloadable(() => {
      if (fail) throw new TypeError('boom');
      return 1;
    }, log);
    fail = true;
    expect(holder.reload()).toBe(false);
    expect(error[0]?.obj).toEqual({ error: 'TypeError', message: 'boom' });
  });

  test('never shows a mixed object to concurrent readers across many valid and invalid reloads', async () => {
    let version = 0;
    const holder = createReloadable(() => {
      version++;
      if (version % 3 === 0) {
        throw new ConfigError([{ path: 'x', message: 'invalid' }]);
      }
      return snapshot(version);
    }, recordingLog().log);
    const seen = new Set<number>();
    const reader = async (): Promise<void> => {
      for (let i = 0; i < 200; i++) {
        const s = holder.current();
        await Promise.resolve();
        // the snapshot read before the await is still whole after it
        expect(s.grading.version).toBe(s.version);
        expect(s.lists).toEqual([s.version, s.version]);
        seen.add(s.version);
      }
    };
    const reloader = async (): Promise<void> => {
      for (let i = 0; i < 150; i++) {
        holder.reload();
        await Promise.resolve();
      }
    };
    await Promise.all([reader(), reader(), reader(), reloader(), reader()]);
    expect(seen.size).toBeGreaterThan(10);
    for (const v of seen) {
      expect(v % 3).not.toBe(0); // an invalid load never became current
    }
  });
});
