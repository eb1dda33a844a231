/**
 * The dashboard in a real headless Chromium (Debian's, driven by playwright-core) against the real app
 * with seeded analytics: the page loads under helmet's CSP with no console error, takes the token from
 * the keyboard, draws every chart (a screenshot is checked for painted bars inside each chart's box,
 * and for none when the range is empty), keeps the token out of storage and the URL, is keyboard
 * reachable and passes axe-core's WCAG 2 A/AA rules (contrast included).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { builtDashboardDir } from '../../src/admin/admin-routes.js';
import { buildRuntime } from '../../src/engine/build-runtime.js';
import { createApp } from '../../src/protocol/app.js';
import { sqliteAuditStore } from '../../src/storage/sqlite-audit-store.js';
import { openSqliteDatabase } from '../../src/storage/sqlite-database.js';
import { sqliteFeedbackStore } from '../../src/storage/sqlite-feedback-store.js';
import { memoryLogger, testConfig } from '../support/hook-requests.js';
import { listenOnLoopback, type Listening } from '../support/listen.js';
import { seedAnalytics } from './support/seed-analytics.js';

const TOKEN = 'dashboard-token-1f2e3d4c5b6a79880f1e2d3c4b5a6978';
const CHARTS = ['templates', 'grades', 'weeks', 'reasons', 'suggestions', 'time-to-feedback', 'versions'];
/** The accepted and overridden bar colours of the page (admin/src/render.ts): no text is drawn in them. */
const BAR_COLORS: [number, number, number][] = [[0x00, 0x72, 0xb2], [0xc0, 0x39, 0x2b]];
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

let server: Listening;
let browser: Browser;
let logLines: string[];
const profile = mkdtempSync(join(tmpdir(), 'crs-chromium-'));

beforeAll(async () => {
  expect(existsSync(join(builtDashboardDir(), 'index.html')), 'the dashboard is built by npm ci (prepare) or npm run build:admin').toBe(true);
  const db = openSqliteDatabase(':memory:');
  const stores = { audit: sqliteAuditStore(db), feedback: sqliteFeedbackStore(db) };
  await seedAnalytics(stores);
  const runtime = buildRuntime(testConfig());
  const { logger, lines } = memoryLogger();
  logLines = lines;
  server = await listenOnLoopback(
    createApp({ runtime: () => runtime, logger, feedbackStore: stores.feedback, auditStore: stores.audit, adminToken: TOKEN }),
  );
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: [...CHROMIUM_ARGS, `--crash-dumps-dir=${profile}`] });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  rmSync(profile, { recursive: true, force: true });
});

/** Opens the page, types the token, and shows the given range with the keyboard. */
async function openReport(page: Page, from: string, to: string): Promise<string[]> {
  const problems: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error' || msg.type() === 'warning') problems.push(msg.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  await page.goto(`${server.baseUrl}/admin`);
  await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('token');
  await page.keyboard.type(TOKEN);
  await page.keyboard.press('Enter');
  await page.locator('#filters').waitFor({ state: 'visible' });
  await page.locator('#from').fill(from);
  await page.locator('#to').fill(to);
  await page.locator('#update').focus();
  await page.keyboard.press('Enter');
  await expect.poll(() => page.locator('#status').textContent(), { timeout: 10_000 }).toMatch(new RegExp(`cards from ${from} to ${to}`));
  return problems;
}

/** Painted bar pixels inside each box of a PNG screenshot, counted by decoding it in a blank page. */
async function barPixels(png: Buffer, boxes: { x: number; y: number; width: number; height: number }[]): Promise<number[]> {
  const blank = await browser.newPage();
  try {
    return await blank.evaluate(
      async ({ b64, boxes, colors }) => {
        const image = new Image();
        image.src = `data:image/png;base64,${b64}`;
        await image.decode();
        const canvas = document.createElement('canvas');
        canvas.width = image.width;
        canvas.height = image.height;
        const ctx = canvas.getContext('2d');
        if (ctx === null) throw new Error('no 2d context');
        ctx.drawImage(image, 0, 0);
        return boxes.map((b) => {
          const { data } = ctx.getImageData(Math.round(b.x), Math.round(b.y), Math.max(1, Math.round(b.width)), Math.max(1, Math.round(b.height)));
          let count = 0;
          for (let i = 0; i < data.length; i += 4) {
            if (colors.some(([r, g, bl]) => Math.abs((data[i] as number) - r) + Math.abs((data[i + 1] as number) - g) + Math.abs((data[i + 2] as number) - bl) < 24)) count++;
          }
          return count;
        });
      },
      { b64: png.toString('base64'), boxes, colors: BAR_COLORS },
    );
  } finally {
    await blank.close();
  }
}

async function figureBoxes(page: Page): Promise<{ x: number; y: number; width: number; height: number }[]> {
  return Promise.all(
    CHARTS.map(async (id) => {
      const box = await page.locator(`figure[data-chart="${id}"] .plot, figure[data-chart="${id}"] .empty`).boundingBox();
      if (box === null) throw new Error(`no box for ${id}`);
      return box;
    }),
  );
}

describe('the dashboard in Chromium', () => {
  test('draws every chart for the seeded data, with no console error under the CSP', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems = await openReport(page, '2026-10-01', '2026-11-30');
    for (const id of CHARTS) expect(await page.locator(`figure[data-chart="${id}"] canvas`).count()).toBe(1);
    expect(await page.locator('#totals dd').first().textContent()).toBe('320');
    const png = await page.screenshot({ fullPage: true });
    const counts = await barPixels(png, await figureBoxes(page));
    for (const [i, id] of CHARTS.entries()) expect({ chart: id, painted: (counts[i] ?? 0) > 400 }).toEqual({ chart: id, painted: true });
    expect(problems).toEqual([]);
    await page.screenshot({ path: join(tmpdir(), 'crs-cds-dashboard.png'), fullPage: true });
    await page.close();
  }, 60_000);

  test('an empty range paints no bars (the pixel check can fail)', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await openReport(page, '2020-01-01', '2020-01-31');
    expect(await page.locator('figure canvas').count()).toBe(0);
    expect(await page.locator('figure .empty').count()).toBe(CHARTS.length);
    const counts = await barPixels(await page.screenshot({ fullPage: true }), await figureBoxes(page));
    expect(counts.every((c) => c < 50)).toBe(true);
    await page.close();
  }, 60_000);

  test('keeps the token out of storage, cookies, the URL and the logs', async () => {
    const page = await browser.newPage();
    await openReport(page, '2026-11-01', '2026-11-30');
    expect(await page.evaluate(() => [localStorage.length, sessionStorage.length, document.cookie])).toEqual([0, 0, '']);
    expect(page.url()).toBe(`${server.baseUrl}/admin`);
    expect(await page.locator('#token').inputValue()).toBe('');
    expect(logLines.join('\n')).not.toContain(TOKEN);
    await page.close();
  }, 60_000);

  test('a refused token says so and asks again', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.baseUrl}/admin`);
    await page.locator('#token').fill(`${TOKEN}-wrong`);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#status').textContent()).toBe('The token was refused.');
    expect(await page.locator('#token').isVisible()).toBe(true);
    await page.close();
  }, 60_000);

  test('every control is reached with Tab, in order', async () => {
    const page = await browser.newPage();
    await openReport(page, '2026-11-01', '2026-11-30');
    const reached: string[] = [];
    for (let i = 0; i < 30; i++) {
      await page.keyboard.press('Tab');
      const name = await page.evaluate(() => {
        const a = document.activeElement;
        return a === null || a === document.body ? 'body' : a.id !== '' ? a.id : `${a.tagName.toLowerCase()}:${a.closest('figure')?.getAttribute('data-chart') ?? ''}`;
      });
      if (reached[reached.length - 1] !== name) reached.push(name);
    }
    // Tab cycles through the page (and the browser's own UI, seen as body): read the cycle from #from.
    const cycle = [...reached.slice(reached.indexOf('from')), ...reached.slice(0, reached.indexOf('from'))];
    expect(cycle.slice(0, 4 + CHARTS.length + 1)).toEqual(['from', 'to', 'service', 'update', ...CHARTS.map((id) => `summary:${id}`), 'body']);
    expect(reached).not.toContain('token');
    await page.close();
  }, 60_000);

  test('passes axe-core WCAG 2 A and AA rules, colour contrast included', async () => {
    // axe is injected as a script, which the page's CSP forbids: this context bypasses CSP for the audit only.
    const context = await browser.newContext({ bypassCSP: true });
    const page = await context.newPage();
    await openReport(page, '2026-10-01', '2026-11-30');
    await page.addScriptTag({ path: createRequire(import.meta.url).resolve('axe-core/axe.min.js') });
    const result = await page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: { id: string; nodes: unknown[] }[]; passes: { id: string }[] }> } }).axe;
      const r = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa'] } });
      return { violations: r.violations.map((v) => `${v.id} (${v.nodes.length})`), passes: r.passes.map((p) => p.id) };
    });
    expect(result.violations).toEqual([]);
    expect(result.passes).toContain('color-contrast');
    await context.close();
  }, 60_000);
});
