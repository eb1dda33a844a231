/**
 * The CRS timeline in a real browser (headless Chromium): a fresh Vite build served by crs-cds, a real
 * FHIR server (medplum) with a synthetic 14-day patient, and a SMART authorization server. The app
 * launches (EHR and standalone), asks for patient read scopes only, keeps no token in localStorage,
 * draws every series (screenshots checked for non-empty plots), its grades equal `crs-cds grade --at`
 * for the same Bundle, it works from the keyboard, passes axe-core (contrast included), and its CSP
 * blocks a FHIR server the configuration does not allow.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runGrade } from '../../src/cli/grade-command.js';
import { DEFAULT_CONFIG } from '../../src/config/defaults.js';
import type { Config } from '../../src/config/types.js';
import { captureIo } from '../cli/helpers.js';
import { openChromium, type ChromiumSession } from '../support/chromium.js';
import { timelineBundle, timelinePatient, TIMELINE_PATIENT_ID } from '../support/timeline-patient.js';
import { buildTimelineApp, startTimelineStack, TIMELINE_ACCESS_TOKEN, type TimelineStack } from '../support/timeline-stack.js';

/** The evaluation time: the page's clock is fixed here, and the course ends here. */
const END = new Date('2026-11-21T10:30:00Z');
/** Every whole hour from the infusion (14 days before, on the hour) to END, and END itself. */
const HOURS = 14 * 24 + 2;
const PANELS = ['grade', 'temperature', 'blood-pressure', 'spo2', 'oxygen', 'vasopressors', 'doses'];
// Loopback by IPv4 only: a launch naming http://localhost is a server the configuration does not allow.
const CONFIG: Config = { ...DEFAULT_CONFIG, fhir: { ...DEFAULT_CONFIG.fhir, allowedServers: ['http://127.0.0.1:*'] } };

let build: Awaited<ReturnType<typeof buildTimelineApp>>;
let stack: TimelineStack;
let chromium: ChromiumSession;
let bundleFile: string;
let scratch: string;

beforeAll(async () => {
  build = await buildTimelineApp();
  stack = await startTimelineStack(build.dir, timelinePatient(END), CONFIG, TIMELINE_PATIENT_ID);
  chromium = await openChromium();
  scratch = mkdtempSync(join(tmpdir(), 'crs-timeline-'));
  bundleFile = join(scratch, 'bundle.json');
  writeFileSync(bundleFile, JSON.stringify(timelineBundle(END)));
}, 300_000);

afterAll(async () => {
  await chromium?.close();
  await stack?.close();
  build?.remove();
  if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
});

interface Launched {
  readonly page: Page;
  readonly consoleMessages: string[];
}

/** Opens the launch URL with the page clock at END and waits until every hour is graded. */
async function launch(query: string): Promise<Launched> {
  const page = await chromium.context.newPage();
  const consoleMessages: string[] = [];
  page.on('console', (message) => consoleMessages.push(message.text()));
  await page.clock.setFixedTime(END);
  await page.goto(`${stack.serviceUrl}/app/launch?${query}`);
  // Generous: medplum's in-memory search is slow, and the full suite shares two cores.
  await page.waitForSelector('#timeline[aria-busy="false"]', { timeout: 240_000 });
  return { page, consoleMessages };
}

/** crs-cds's answer for the Bundle at `at`, through the CLI's own entry point. */
async function cliGrade(at: string): Promise<string> {
  const io = captureIo();
  expect(await runGrade([bundleFile, '--at', at], io)).toBe(0);
  const grade = (JSON.parse(io.out()) as { extension: Record<string, { grade?: number | null }> }).extension['crs-cds.assessment']?.grade;
  // Indeterminate (G-I): `grade` null today; omitted with `indeterminate: true` under contract revision 2.
  return grade === undefined || grade === null ? 'indeterminate' : `grade ${grade}`;
}

/** Pixels of a panel's plot area clearly darker or more saturated than its background. */
async function inkedPixels(page: Page, panel: string): Promise<number> {
  const png = await page.locator(`figure[data-panel="${panel}"] .u-over`).screenshot();
  return page.evaluate(async (dataUrl) => {
    // An <img> (img-src allows data:), not fetch: the page's connect-src does not.
    const img = new Image();
    img.src = dataUrl;
    await img.decode();
    const image = await createImageBitmap(img);
    const canvas = new OffscreenCanvas(image.width, image.height);
    const ctx = canvas.getContext('2d') as OffscreenCanvasRenderingContext2D;
    ctx.drawImage(image, 0, 0);
    const { data } = ctx.getImageData(0, 0, image.width, image.height);
    let inked = 0;
    // Grid lines and the masked shading are light (within 60 of white); data marks are not.
    for (let i = 0; i < data.length; i += 4) {
      if (Math.min(data[i] as number, data[i + 1] as number, data[i + 2] as number) < 195) inked += 1;
    }
    return inked;
  }, `data:image/png;base64,${png.toString('base64')}`);
}

test('the built app (fhirclient, engine, uPlot, pages) stays under its 300 KB gzipped budget', () => {
  const files = readdirSync(build.dir, { recursive: true, withFileTypes: true }).filter((f) => f.isFile() && !f.parentPath.includes('.vite'));
  const gzipped = files.reduce((sum, f) => sum + gzipSync(readFileSync(join(f.parentPath, f.name)), { level: 9 }).length, 0);
  expect(files.some((f) => f.name.endsWith('.js'))).toBe(true);
  expect(gzipped).toBeLessThan(300 * 1024);
});

describe('EHR launch', () => {
  let launched: Launched;
  beforeAll(async () => {
    launched = await launch(new URLSearchParams({ iss: stack.fhir.baseUrl, launch: stack.auth.launchFor(TIMELINE_PATIENT_ID) }).toString());
  }, 300_000);

  test('authorizes with launch and patient read scopes only, PKCE, and leaves no code or token in the URL or localStorage', async () => {
    const { page } = launched;
    const request = stack.auth.authorizeRequests.at(-1);
    const scopes = request?.get('scope')?.split(' ') ?? [];
    expect(scopes[0]).toBe('launch');
    expect(scopes.slice(1).length).toBeGreaterThan(0);
    for (const scope of scopes.slice(1)) expect(scope).toMatch(/^patient\/[A-Za-z]+\.read$/);
    expect(request?.get('code_challenge_method')).toBe('S256');
    expect(page.url()).toBe(`${stack.serviceUrl}/app/`);
    const storage = await page.evaluate(() => ({ local: localStorage.length, session: JSON.stringify({ ...sessionStorage }) }));
    expect(storage.local).toBe(0);
    // fhirclient keeps its state (the token included) in sessionStorage, for this tab's session only.
    expect(storage.session).toContain('SMART_KEY');
    // crs-cds saw the app's files, its configuration and the SMART parameters; never patient data.
    for (const path of stack.serviceRequests) {
      expect(path).toMatch(/^\/app\/(launch\?iss=[^&]+&launch=[0-9a-f]+|\?code=[0-9a-f]+&state=[\w-]+|config\.json|assets\/[\w.-]+|)$/);
      expect(path).not.toContain(TIMELINE_PATIENT_ID);
    }
    expect(stack.logLines.join('\n')).not.toContain(TIMELINE_ACCESS_TOKEN);
    // Every FHIR read carried the issued token, and only that.
    expect(stack.fhir.requests.length).toBeGreaterThan(0);
    expect(new Set(stack.fhir.authorizations)).toEqual(new Set([`Bearer ${TIMELINE_ACCESS_TOKEN}`]));
  });

  test('draws every panel with data in it (screenshot pixels per plot)', async () => {
    const { page } = launched;
    expect(await page.locator('figure[data-panel]').evaluateAll((figures) => figures.map((f) => (f as HTMLElement).dataset['panel']))).toEqual(PANELS);
    for (const panel of PANELS) {
      expect(await inkedPixels(page, panel), panel).toBeGreaterThan(150);
    }
  });

  test('its hourly grades equal crs-cds grade --at for the same Bundle', async () => {
    const rows = await launched.page.locator('#grade-rows tr').evaluateAll((trs) =>
      trs.map((tr) => ({ time: (tr as HTMLElement).dataset['time'] as string, grade: tr.children[1]?.textContent ?? '' })),
    );
    expect(rows.length).toBe(HOURS);
    // Indeterminate only at the infusion itself (G-I: no temperature yet in the episode).
    expect(new Set(rows.map((r) => r.grade))).toEqual(new Set(['indeterminate', 'grade 0', 'grade 1', 'grade 2', 'grade 3', 'grade 4']));
    // Every grade change, both sides of it, and every sixth hour.
    const sample = rows.filter((row, i) => i % 6 === 0 || row.grade !== rows[i - 1]?.grade || row.grade !== rows[i + 1]?.grade);
    for (const row of sample) expect(`${row.time} ${await cliGrade(row.time)}`).toBe(`${row.time} ${row.grade}`);
  });

  test('is usable from the keyboard: zoom buttons, and hour-by-hour details with FHIR resource ids', async () => {
    const { page } = launched;
    await page.locator('body').focus();
    const focusOrder: string[] = [];
    for (let i = 0; i < 4; i += 1) {
      await page.keyboard.press('Tab');
      focusOrder.push(await page.evaluate(() => document.activeElement?.getAttribute('data-zoom') ?? document.activeElement?.id ?? ''));
    }
    expect(focusOrder).toEqual(['24h', '72h', 'episode', 'charts']);
    await page.keyboard.press('End');
    // F2 (crs-rules.md revision 2): masking ended after a resolved day once the oxygen was weaned (day 8).
    await expect.poll(() => page.locator('#details h2').textContent()).toBe('2026-11-21 10:30 UTC: grade 0');
    await page.keyboard.press('Home');
    await expect.poll(() => page.locator('#details h2').textContent()).toBe('2026-11-07 10:00 UTC: indeterminate');
    for (let i = 0; i < 5; i += 1) await page.keyboard.press('PageDown');
    await page.keyboard.press('ArrowRight');
    // Day +5, 11:00: norepinephrine and epinephrine both running (H2: grade 4).
    await expect.poll(() => page.locator('#details h2').textContent()).toBe('2026-11-12 11:00 UTC: grade 4 (fever masked, F2)');
    const items = await page.locator('#details li').allTextContents();
    expect(items.some((t) => t.includes('Temperature') && t.includes('Observation/temp-121'))).toBe(true);
    expect(items.filter((t) => t.startsWith('Vasopressor running')).map((t) => t.replace(/.*MedicationAdministration\//, ''))).toEqual(['norepinephrine-1', 'epinephrine-1']);
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('button[data-zoom="24h"]').getAttribute('aria-pressed')).toBe('true');
  });

  test('a click on a point lists that hour with the resource id and time', async () => {
    const { page } = launched;
    await page.locator('button[data-zoom="72h"]').click();
    const over = page.locator('figure[data-panel="temperature"] .u-over');
    const box = await over.boundingBox();
    if (box === null) throw new Error('no temperature plot');
    // 72 h ending 10:30: the middle of the plot is 2026-11-19 22:30, in the hour closing at 23:00.
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await expect.poll(() => page.locator('#details h2').textContent()).toMatch(/^2026-11-19 23:00 UTC: grade 0/);
    expect((await page.locator('#details li').allTextContents()).some((t) => /^Temperature: 3\d\.\d °C at 2026-11-19 23:00 UTC Observation\/temp-301$/.test(t))).toBe(true);
  });

  test('lists the data-quality notes the engine reported', async () => {
    const notes = await launched.page.locator('#notes li').allTextContents();
    expect(notes).toEqual([
      'Ignored temperature 52 °C: implausible value Observation/temp-implausible',
      'Ignored temperature 38.9 degrees: unit not understood Observation/temp-unknown-unit',
    ]);
  });

  test('passes axe-core (WCAG 2 A and AA, colour contrast included) with no CSP violation', async () => {
    const { page, consoleMessages } = launched;
    await page.locator('details summary').click();
    const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
    // Evaluated through the DevTools protocol, not a <script>: the page's CSP stays as served.
    await page.evaluate(axeSource);
    const violations = await page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run: (c: Document, o: unknown) => Promise<{ violations: { id: string; nodes: unknown[] }[] }> } }).axe;
      const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa'] } });
      return result.violations.map((v) => `${v.id} (${v.nodes.length})`);
    });
    expect(violations).toEqual([]);
    expect(consoleMessages.filter((m) => /Content Security Policy|Refused to/i.test(m))).toEqual([]);
  });
});

test('standalone launch: the patient chosen at the authorization server, launch/patient scope', async () => {
  const { page } = await launch(new URLSearchParams({ iss: stack.fhir.baseUrl }).toString());
  const request = stack.auth.authorizeRequests.at(-1);
  expect(request?.has('launch')).toBe(false);
  expect(request?.get('scope')?.split(' ')[0]).toBe('launch/patient');
  expect(await page.locator('#grade-rows tr').count()).toBe(HOURS);
  await page.close();
}, 300_000);

test('a FHIR server the configuration does not allow is blocked by the app CSP before any request', async () => {
  const page = await chromium.context.newPage();
  const blocked = new URL(stack.fhir.baseUrl);
  blocked.hostname = 'localhost';
  const before = stack.fhir.requests.length;
  const response = await page.goto(`${stack.serviceUrl}/app/launch?${new URLSearchParams({ iss: blocked.toString(), launch: 'x' }).toString()}`);
  expect(response?.headers()['content-security-policy']).toContain("connect-src 'self' http://127.0.0.1:*");
  await expect.poll(() => page.locator('#status').getAttribute('data-tone')).toBe('error');
  expect(stack.fhir.requests.length).toBe(before);
  expect(stack.auth.authorizeRequests.every((q) => q.get('launch') !== 'x')).toBe(true);
  await page.close();
});
