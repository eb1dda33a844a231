/**
 * Writes docs/images/crs-timeline.png: the CRS timeline for the synthetic 14-day patient, launched for
 * real (SMART EHR launch against the loopback FHIR and authorization servers) in headless Chromium.
 * Run under the shared lock: `flock /tmp/crs-heavy.lock npx tsx scripts/timeline-screenshot.ts`.
 */
import { fileURLToPath } from 'node:url';
import { DEFAULT_CONFIG } from '../src/config/defaults.js';
import { openChromium } from '../test/support/chromium.js';
import { timelinePatient, TIMELINE_PATIENT_ID } from '../test/support/timeline-patient.js';
import { buildTimelineApp, startTimelineStack } from '../test/support/timeline-stack.js';

const END = new Date('2026-11-21T10:30:00Z');
const out = fileURLToPath(new URL('../docs/images/crs-timeline.png', import.meta.url));

const build = await buildTimelineApp();
const stack = await startTimelineStack(build.dir, timelinePatient(END), DEFAULT_CONFIG, TIMELINE_PATIENT_ID);
const chromium = await openChromium();
try {
  const page = await chromium.context.newPage();
  await page.setViewportSize({ width: 1280, height: 1400 });
  await page.clock.setFixedTime(END);
  await page.goto(`${stack.serviceUrl}/app/launch?${new URLSearchParams({ iss: stack.fhir.baseUrl, launch: stack.auth.launchFor(TIMELINE_PATIENT_ID) })}`);
  await page.waitForSelector('#timeline[aria-busy="false"]', { timeout: 300_000 });
  // Select day +5, 11:00 (two vasopressors, grade 4) so the details panel shows resource ids.
  await page.locator('#charts').focus();
  await page.keyboard.press('Home');
  for (let i = 0; i < 5; i += 1) await page.keyboard.press('PageDown');
  await page.keyboard.press('ArrowRight');
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: out, fullPage: false });
  console.log(`wrote ${out}`);
} finally {
  await chromium.close();
  await stack.close();
  build.remove();
}
