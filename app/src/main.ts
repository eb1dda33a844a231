/**
 * `/app/`: completes the SMART launch, reads the patient's data from the EHR's FHIR server, grades
 * every hour of the episode with the service's engine in this browser (no patient data goes to the
 * service) and draws the timeline. Grading runs newest day first, so the chart appears after the first
 * day and fills in; `aria-busy` stays true on the page until every hour is graded.
 */
import FHIR from 'fhirclient';
import type { Resource } from 'fhir/r4.js';
import { createTimelineChart, type TimelineChart } from './chart/timeline-chart.js';
import { FhirLoadError, loadPatientResources } from './fhir/load-patient.js';
import { hourDetails, hourIndexAt } from './hour-details.js';
import { fetchSettings, type AppSettings } from './settings.js';
import { buildTimeline, type Timeline } from './timeline-model.js';
import { gradeTrajectory, HOUR_MS, hoursNewestFirst, type TrajectoryHour } from './trajectory.js';
import { renderDetails } from './view/details.js';
import { renderGradeTable } from './view/grade-table.js';
import { bindChartKeys } from './view/keyboard.js';
import { renderNotes } from './view/notes.js';
import { showStatus } from './view/status.js';
import { renderSummary } from './view/summary.js';

const DAY_MS = 24 * HOUR_MS;
const ZOOMS: Readonly<Record<string, number | undefined>> = { '24h': DAY_MS, '72h': 3 * DAY_MS, episode: undefined };

const byId = <T extends HTMLElement>(id: string): T => {
  const element = document.getElementById(id);
  if (element === null) throw new Error(`page element #${id} missing`);
  return element as T;
};

const nextFrame = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/** The page's interactive parts, once the first hours are graded. */
function showTimeline(first: Timeline): { readonly update: (t: Timeline) => void } {
  let timeline = first;
  let selected: number | undefined;
  const main = byId('timeline');
  main.hidden = false;
  const charts = byId('charts');
  const details = byId('details');
  const select = (index: number): void => {
    const hour = hourDetails(timeline, index);
    selected = hour?.index;
    chart.select(hour?.point.t);
    renderDetails(details, hour);
  };
  const chart: TimelineChart = createTimelineChart(charts, timeline, (t) => select(hourIndexAt(timeline, t)));
  bindChartKeys(charts, () => selected, () => timeline.grades.length, select);
  for (const button of document.querySelectorAll<HTMLButtonElement>('button[data-zoom]')) {
    button.addEventListener('click', () => {
      const span = ZOOMS[button.dataset['zoom'] ?? ''];
      chart.zoom(span === undefined ? timeline.episodeStart : Math.max(timeline.episodeStart, timeline.end - span), timeline.end);
      for (const other of document.querySelectorAll('button[data-zoom]')) other.setAttribute('aria-pressed', String(other === button));
    });
  }
  const render = (): void => {
    renderSummary(byId('summary'), timeline);
    renderNotes(byId('notes'), timeline.notes);
    renderGradeTable(byId<HTMLTableSectionElement>('grade-rows'), timeline);
  };
  render();
  return {
    update: (next) => {
      // Indices shift as older hours arrive: keep the same instant selected.
      const at = selected === undefined ? undefined : timeline.grades[selected]?.t;
      timeline = next;
      chart.update(timeline);
      render();
      if (at !== undefined) select(hourIndexAt(timeline, at));
    },
  };
}

/** The next `count` hours of a newest-first trajectory, oldest first. */
function takeOldestFirst(pending: Iterator<TrajectoryHour>, count: number): TrajectoryHour[] {
  const taken: TrajectoryHour[] = [];
  for (let next = pending.next(); !next.done; next = pending.next()) {
    taken.push(next.value);
    if (taken.length === count) break;
  }
  return taken.reverse();
}

/** Grades the episode newest day first, drawing after each day. */
async function gradeAndDraw(resources: readonly Resource[], settings: AppSettings, now: number): Promise<void> {
  const latest = gradeTrajectory(resources, settings, now, now).hours;
  const episodeStart = latest[0] === undefined ? undefined : Date.parse(latest[0].assessment.monitoring.episodeStart);
  if (episodeStart === undefined) {
    showStatus('Not monitored for CRS: no CAR-T cell therapy or T-cell engager in the monitoring window, and no CRS diagnosis.');
    return;
  }
  const pending = hoursNewestFirst(resources, settings, episodeStart, now);
  // The first chart: the last 24 whole hours and `now` itself.
  let hours = takeOldestFirst(pending, now % HOUR_MS === 0 ? 24 : 25);
  const total = Math.ceil((now - episodeStart) / HOUR_MS);
  const view = showTimeline(buildTimeline({ hours }, settings));
  performance.mark('crs-timeline-first-render');
  for (;;) {
    showStatus(`Grading hour by hour: ${hours.length} of about ${total} hours done…`);
    await nextFrame();
    const day = takeOldestFirst(pending, 24);
    if (day.length === 0) break;
    hours = [...day, ...hours];
    view.update(buildTimeline({ hours }, settings));
  }
  performance.mark('crs-timeline-complete');
  showStatus(`Every hour of the episode graded (${hours.length} evaluations).`);
}

async function start(): Promise<void> {
  const main = byId('timeline');
  main.setAttribute('aria-busy', 'true');
  const client = await FHIR.oauth2.ready();
  const settings = await fetchSettings();
  showStatus('Reading the patient\'s vital signs and medications…');
  const now = Date.now();
  const since = new Date(now - settings.grading.monitoringWindowDays * DAY_MS).toISOString();
  const resources = await loadPatientResources(client, settings.codeLists, since);
  performance.mark('crs-timeline-data-loaded');
  await gradeAndDraw(resources, settings, now);
  main.setAttribute('aria-busy', 'false');
}

start().catch((error: unknown) => {
  byId('timeline').setAttribute('aria-busy', 'false');
  // fhirclient's messages carry URLs and response bodies: never shown, never logged.
  showStatus(error instanceof FhirLoadError ? `The patient's data could not be read: ${error.message}.` : 'The timeline could not be loaded. Launch it again from the EHR.', 'error');
});
