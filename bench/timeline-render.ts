/**
 * Benchmark: first render and complete render of the CRS timeline in headless Chromium for a 14-day,
 * hourly-vitals patient (~1,550 resources), through the real SMART launch, FHIR reads and in-browser
 * grading. Prints the median of N launches of the User Timing marks the app sets, and of the app's own
 * part (from data loaded to the first chart, and to every hour graded). Run under the shared
 * lock: `flock /tmp/crs-heavy.lock npx tsx bench/timeline-render.ts [runs]`.
 */
import { DEFAULT_CONFIG } from '../src/config/defaults.js';
import { openChromium } from '../test/support/chromium.js';
import { timelinePatient, TIMELINE_PATIENT_ID } from '../test/support/timeline-patient.js';
import { buildTimelineApp, startTimelineStack } from '../test/support/timeline-stack.js';

const runs = Number(process.argv[2] ?? 5);
const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

const build = await buildTimelineApp();
// The course ends now, so the page runs on its real clock (no fake timers in the measurement).
const stack = await startTimelineStack(build.dir, timelinePatient(new Date()), DEFAULT_CONFIG, TIMELINE_PATIENT_ID);
const chromium = await openChromium();
const marks: Record<string, number[]> = {};
try {
  for (let i = 0; i < runs; i += 1) {
    const page = await chromium.context.newPage();
    await page.goto(`${stack.serviceUrl}/app/launch?${new URLSearchParams({ iss: stack.fhir.baseUrl, launch: stack.auth.launchFor(TIMELINE_PATIENT_ID) })}`);
    await page.waitForSelector('#timeline[aria-busy="false"]', { timeout: 300_000 });
    const timing = await page.evaluate(() =>
      Object.fromEntries(performance.getEntriesByType('mark').map((m) => [m.name, Math.round(m.startTime)])),
    );
    for (const [name, ms] of Object.entries(timing)) (marks[name] ??= []).push(ms);
    // What the app itself costs once the data is in (the loopback medplum search dominates the rest).
    const loaded = timing['crs-timeline-data-loaded'] ?? NaN;
    (marks['first render after data loaded'] ??= []).push((timing['crs-timeline-first-render'] ?? NaN) - loaded);
    (marks['every hour graded after data loaded'] ??= []).push((timing['crs-timeline-complete'] ?? NaN) - loaded);
    console.log(`run ${i + 1}: ${JSON.stringify(timing)} (ms since the page /app/ started loading)`);
    await page.close();
  }
  for (const [name, values] of Object.entries(marks)) console.log(`${name}: median ${median(values)} ms (${values.join(', ')})`);
} finally {
  await chromium.close();
  await stack.close();
  build.remove();
}
