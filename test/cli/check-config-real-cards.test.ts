import { existsSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { captureIo } from './helpers.js';

const builtInsPresent = existsSync(new URL('../../cards/crs-phrases.json', import.meta.url));

describe.runIf(builtInsPresent)('crs-cds check-config with the real card templates', () => {
  test('accepts the example site configuration and its (empty) override directory', async () => {
    const io = captureIo();
    const example = new URL('../../examples/site-config.yaml', import.meta.url).pathname;
    expect(await runCli(['check-config', example], io)).toBe(0);
    expect(io.err()).toBe('');
  });
});
