/**
 * The stacked uPlot panels on one time axis (UTC): shared zoom (24 h, 72 h, whole episode), a synced
 * cursor, F2 masked periods shaded on every panel, and a selected instant drawn as a vertical line.
 * Clicking a panel selects the instant under the pointer; the caller shows what lies there.
 */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { Timeline } from '../timeline-model.js';
import { drawTimeMarker, shadeSpans } from './draw.js';
import { COLOURS } from './palette.js';
import { panelSpecs, type PanelSpec } from './panels.js';

const AXIS_WIDTH = 132;

export interface TimelineChart {
  /** Shows [from, to] on every panel. */
  readonly zoom: (from: number, to: number) => void;
  /** Draws the selected instant (undefined: none). */
  readonly select: (t: number | undefined) => void;
  /** Replaces the timeline (more hours graded). */
  readonly update: (timeline: Timeline) => void;
  readonly destroy: () => void;
}

const utc = (ts: number): Date => uPlot.tzDate(new Date(ts), 'Etc/UTC');

function options(spec: PanelSpec, width: number, range: { from: number; to: number }, overlay: (u: uPlot) => void): uPlot.Options {
  return {
    width,
    height: spec.height,
    ms: 1,
    tzDate: utc,
    legend: { show: false },
    // The same right padding on every panel, time labels or not, so the panels share one time scale.
    padding: [8, 28, 6, 0],
    cursor: { sync: { key: 'crs-timeline' }, drag: { x: false, y: false }, points: { show: false } },
    scales: { x: { time: true, min: range.from, max: range.to }, y: { range: spec.y.range } },
    axes: [
      { show: spec.timeAxis === true, stroke: COLOURS.axis, grid: { stroke: COLOURS.grid }, ticks: { stroke: COLOURS.grid } },
      {
        stroke: COLOURS.axis,
        size: AXIS_WIDTH,
        grid: { stroke: COLOURS.grid },
        ticks: { stroke: COLOURS.grid },
        ...(spec.y.splits === undefined ? {} : { splits: () => spec.y.splits as number[] }),
        ...(spec.y.values === undefined ? {} : { values: spec.y.values }),
      },
    ],
    series: [{}, ...spec.series],
    hooks: { drawClear: [overlay], draw: [(u) => spec.draw?.(u)] },
  };
}

/**
 * Draws the timeline into `container`.
 * @param container - an empty element; one figure per panel is added
 * @param initial - the timeline model
 * @param onPick - called with the time under a click
 */
export function createTimelineChart(container: HTMLElement, initial: Timeline, onPick: (t: number) => void): TimelineChart {
  let timeline = initial;
  let range = { from: timeline.episodeStart, to: timeline.end };
  let selected: number | undefined;
  let plots: uPlot[] = [];

  // Behind the data: masked periods; in front (after the series): the selected instant.
  const overlay = (u: uPlot): void => shadeSpans(u, timeline.masked, COLOURS.masked);
  const marker = (u: uPlot): void => {
    if (selected !== undefined) drawTimeMarker(u, selected, COLOURS.selection);
  };

  const build = (): void => {
    for (const plot of plots) plot.destroy();
    container.replaceChildren();
    const width = Math.max(320, container.clientWidth);
    plots = panelSpecs(timeline).map((spec) => {
      const figure = document.createElement('figure');
      figure.className = 'panel';
      figure.dataset['panel'] = spec.id;
      const caption = document.createElement('figcaption');
      caption.id = `panel-${spec.id}`;
      caption.textContent = spec.title;
      figure.append(caption);
      container.append(figure);
      const opts = options(spec, width, range, overlay);
      opts.hooks?.draw?.push(marker);
      const plot = new uPlot(opts, spec.data, figure);
      plot.root.setAttribute('role', 'img');
      plot.root.setAttribute('aria-labelledby', caption.id);
      plot.over.addEventListener('click', () => {
        const left = plot.cursor.left ?? -1;
        if (left >= 0) onPick(plot.posToVal(left, 'x'));
      });
      return plot;
    });
  };
  build();

  const observer = new ResizeObserver(() => {
    const width = Math.max(320, container.clientWidth);
    for (const plot of plots) if (plot.width !== width) plot.setSize({ width, height: plot.height });
  });
  observer.observe(container);

  return {
    zoom: (from, to) => {
      range = { from, to };
      for (const plot of plots) plot.setScale('x', { min: from, max: to });
    },
    select: (t) => {
      selected = t;
      for (const plot of plots) plot.redraw(false);
    },
    update: (next) => {
      timeline = next;
      build();
    },
    destroy: () => {
      observer.disconnect();
      for (const plot of plots) plot.destroy();
    },
  };
}
