import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe('bin/crs-cds.mjs', () => {
  test('runs the CLI from a checkout and passes its exit code through', () => {
    const result = spawnSync(process.execPath, ['bin/crs-cds.mjs', 'check-config', 'no-such-file.yaml'], { cwd: root, encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('no-such-file.yaml: file not found');
  });
});
