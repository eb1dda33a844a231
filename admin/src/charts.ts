/**
 * uPlot charts for the dashboard: categorical bars, stacked or single. uPlot has no stacking of its
 * own: each stacked series is drawn as bars of its running total, widest first, so the visible band of
 * each series is its own value. Colours and exact numbers are also given as text (legend and table).
 */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface BarSeries {
  readonly label: string;
  readonly color: string;
  readonly values: readonly number[];
}

export interface BarChartOptions {
  /** Category names on the x axis. */
  readonly categories: readonly string[];
  readonly series: readonly BarSeries[];
  readonly yLabel: string;
  /** Y axis 0–100 with a percent sign. */
  readonly percent?: boolean;
  readonly width: number;
  readonly height?: number;
}

/** Running totals: series k is the sum of series 0..k, per category. */
function runningTotals(series: readonly BarSeries[]): number[][] {
  const totals: number[][] = [];
  series.forEach((s, k) => {
    totals.push(s.values.map((v, i) => v + (k === 0 ? 0 : (totals[k - 1]?.[i] ?? 0))));
  });
  return totals;
}

/**
 * Draws bars (stacked when there are several series) into `target`.
 * @param target - the element the chart is appended to
 * @param options - categories, series, axis label and size
 * @returns the chart (destroy it before drawing again)
 */
export function barChart(target: HTMLElement, options: BarChartOptions): uPlot {
  const n = options.categories.length;
  const totals = runningTotals(options.series);
  const top = Math.max(1, ...(totals[totals.length - 1] ?? [0]));
  const bars = uPlot.paths.bars?.({ size: [0.6, 64] });
  // Widest (the full stack) first, so each narrower total paints over it.
  const order = options.series.map((s, k) => ({ s, values: totals[k] ?? [] })).reverse();
  const data: uPlot.AlignedData = [options.categories.map((_c, i) => i), ...order.map((o) => o.values)];
  return new uPlot(
    {
      width: options.width,
      height: options.height ?? 260,
      legend: { show: false },
      cursor: { show: false },
      scales: {
        x: { time: false, range: () => [-0.5, n - 0.5] },
        y: { range: () => [0, options.percent === true ? 100 : top * 1.1] },
      },
      axes: [
        {
          splits: () => options.categories.map((_c, i) => i),
          values: (_u, splits) => splits.map((i) => options.categories[i] ?? ''),
          stroke: '#1a1a1a',
          grid: { show: false },
          ...(n > 6 ? { rotate: -35, size: 96 } : {}),
        },
        {
          label: options.yLabel,
          stroke: '#1a1a1a',
          values: (_u, splits) => splits.map((v) => (options.percent === true ? `${v} %` : String(v))),
          grid: { stroke: '#e3e3e3' },
        },
      ],
      series: [{}, ...order.map((o) => ({ label: o.s.label, fill: o.s.color, stroke: o.s.color, width: 0, points: { show: false }, ...(bars === undefined ? {} : { paths: bars }) }))],
    },
    data,
    target,
  );
}
