import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/defaults.js';
import { buildRuntime } from '../../src/engine/build-runtime.js';
import { configVersion } from '../../src/engine/config-version.js';
import { loadCardTemplates } from '../../src/recommend/templates.js';

const dir = mkdtempSync(join(tmpdir(), 'crs-version-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('is the same for the same configuration and templates, whatever the key order', () => {
  const templates = loadCardTemplates();
  const reordered = Object.fromEntries(Object.entries(DEFAULT_CONFIG).reverse()) as typeof DEFAULT_CONFIG;
  expect(configVersion(reordered, templates)).toBe(configVersion(DEFAULT_CONFIG, templates));
  expect(configVersion(DEFAULT_CONFIG, templates)).toMatch(/^[0-9a-f]{16}$/);
  expect(buildRuntime(DEFAULT_CONFIG).configVersion).toBe(configVersion(DEFAULT_CONFIG, templates));
});

test('changes with a threshold and with the wording of one template', () => {
  const base = buildRuntime(DEFAULT_CONFIG).configVersion;
  expect(buildRuntime({ ...DEFAULT_CONFIG, grading: { ...DEFAULT_CONFIG.grading, feverCelsius: 38.3 } }).configVersion).not.toBe(base);
  const builtIn = JSON.parse(readFileSync(new URL('../../cards/crs-grade-1.json', import.meta.url), 'utf8')) as { summary: string };
  writeFileSync(join(dir, 'crs-grade-1.json'), JSON.stringify({ ...builtIn, summary: `${builtIn.summary} ` }));
  expect(buildRuntime({ ...DEFAULT_CONFIG, cards: { ...DEFAULT_CONFIG.cards, directory: dir } }).configVersion).not.toBe(base);
});
