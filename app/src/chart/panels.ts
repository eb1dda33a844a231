/**
 * The timeline's panels, top to bottom: ASTCT grade, temperature, blood pressure, SpO2, oxygen support
 * tier, vasopressor infusions and treatment doses. Each panel is a uPlot chart on the shared time axis;
 * thresholds, shading, bars and markers are drawn on its canvas from the timeline model.
 */
import uPlot from 'uplot';
import type { OxygenTier } from '../../../src/grading/assessment.js';
import type { DoseKind, Reading, Timeline } from '../timeline-model.js';
import { drawLaneBar, drawLaneMarker, drawThreshold } from './draw.js';
import { COLOURS, DOSE_COLOURS, TIER_COLOURS } from './palette.js';

/** One panel: its data, series, y axis and what is drawn over it. */
export interface PanelSpec {
  readonly id: string;
  /** Visible heading and accessible name. */
  readonly title: string;
  readonly height: number;
  /** Time labels under this panel (the top and bottom panels carry them; the others share them). */
  readonly timeAxis?: boolean;
  readonly data: uPlot.AlignedData;
  readonly series: uPlot.Series[];
  readonly y: { readonly range: [number, number]; readonly values?: (u: uPlot, splits: number[]) => string[]; readonly splits?: number[]; readonly label: string };
  readonly draw?: (u: uPlot) => void;
}

const TIERS: readonly OxygenTier[] = ['none', 'low-flow', 'high-flow', 'positive-pressure'];
const TIER_LABELS = ['none', 'low', 'high', 'PPV'];
const DOSE_LANES: readonly DoseKind[] = ['anti-cytokine', 'corticosteroid', 'antipyretic'];
const DOSE_LABELS = ['anti-IL-6 / cytokine', 'corticosteroid', 'antipyretic'];

const line = (label: string, stroke: string, dash?: number[]): uPlot.Series => ({
  label,
  stroke,
  width: 2,
  spanGaps: true,
  points: { show: true, size: 5, fill: stroke },
  ...(dash === undefined ? {} : { dash }),
});

const series = (readings: readonly Reading[]): uPlot.AlignedData => [readings.map((r) => r.t), readings.map((r) => r.value)];

/** A time axis of its own with nothing plotted (bands, bars and markers are drawn). */
const timeOnly = (t: Timeline): uPlot.AlignedData => [[t.episodeStart, t.end], [null, null]];

const hidden: uPlot.Series = { label: 'none', show: false };

const laneLabels = (labels: readonly string[]) => (_u: uPlot, splits: number[]): string[] =>
  splits.map((s) => labels[Math.floor(s)] ?? '');
const laneSplits = (count: number): number[] => Array.from({ length: count }, (_v, i) => i + 0.5);

/** H1-P: the SBP threshold of the latest hour, named with the age it was chosen for ("SBP < 82 for age 6"). */
function sbpThresholdText(t: Timeline): string {
  const latest = t.sbpThresholds.at(-1);
  if (latest?.age === undefined) return `SBP < ${latest?.mmHg ?? t.thresholds.sbpBelow}`;
  const { ageYears, ageMonths } = latest.age;
  const age = ageYears > 0 || ageMonths === undefined ? `${ageYears}` : `${ageMonths} months`;
  return `SBP < ${latest.mmHg} for age ${age}`;
}

/**
 * The panel specs of a timeline.
 * @param t - the timeline model
 */
export function panelSpecs(t: Timeline): PanelSpec[] {
  const { thresholds } = t;
  const pressors = [...new Set(t.vasopressors.map((b) => b.concept))];
  const bp = uPlot.join([series(t.sbp), series(t.map)]);
  const episodeMax = t.current.episodeMaxGrade;
  return [
    {
      id: 'grade',
      title: `ASTCT grade, hourly${episodeMax === undefined ? '' : ` (episode maximum ${episodeMax})`}`,
      height: 170,
      timeAxis: true,
      data: [t.grades.map((g) => g.t), t.grades.map((g) => g.grade)],
      series: [{ label: 'grade', stroke: COLOURS.grade, width: 2.5, paths: uPlot.paths.stepped?.({ align: 1 }), points: { show: false }, spanGaps: false }],
      y: { range: [-0.2, 4.4], splits: [0, 1, 2, 3, 4], label: 'grade' },
      draw: (u) => {
        if (episodeMax !== undefined) drawThreshold(u, episodeMax, COLOURS.episodeMax);
      },
    },
    {
      id: 'temperature',
      title: `Temperature, °C (fever ≥ ${thresholds.feverCelsius} °C)`,
      height: 120,
      data: series(t.temperature),
      series: [line('temperature °C', COLOURS.temperature)],
      y: { range: [35, 41.5], label: '°C' },
      draw: (u) => drawThreshold(u, thresholds.feverCelsius, COLOURS.threshold),
    },
    {
      id: 'blood-pressure',
      title: `Blood pressure, mmHg (${sbpThresholdText(t)}, MAP < ${thresholds.mapBelow})`,
      height: 140,
      data: bp,
      series: [line('SBP mmHg', COLOURS.sbp), line('MAP mmHg', COLOURS.map, [4, 3])],
      y: { range: [40, 180], label: 'mmHg' },
      draw: (u) => {
        for (const span of t.sbpThresholds) drawThreshold(u, span.mmHg, COLOURS.sbp, span);
        drawThreshold(u, thresholds.mapBelow, COLOURS.map);
      },
    },
    {
      id: 'spo2',
      title: `SpO2, % (below ${thresholds.spo2Below} without oxygen is shown, not graded)`,
      height: 100,
      data: series(t.spo2),
      series: [line('SpO2 %', COLOURS.spo2)],
      y: { range: [80, 100.5], label: '%' },
      draw: (u) => drawThreshold(u, thresholds.spo2Below, COLOURS.threshold),
    },
    {
      id: 'oxygen',
      title: 'Oxygen support tier (O1)',
      height: 90,
      data: timeOnly(t),
      series: [hidden],
      y: { range: [0, 4], splits: laneSplits(4), values: laneLabels(TIER_LABELS), label: 'O2' },
      draw: (u) => {
        for (const span of t.oxygen) {
          const rank = TIERS.indexOf(span.tier);
          if (rank > 0) drawLaneBar(u, span, rank, TIER_COLOURS[span.tier], 0.9);
        }
      },
    },
    {
      id: 'vasopressors',
      title: 'Vasopressor infusions (H2: overlapping bars run concurrently)',
      height: Math.max(50, 20 + 26 * pressors.length),
      data: timeOnly(t),
      series: [hidden],
      y: { range: [0, Math.max(1, pressors.length)], splits: laneSplits(pressors.length), values: laneLabels(pressors), label: 'pressor' },
      draw: (u) => {
        for (const bar of t.vasopressors) drawLaneBar(u, bar, pressors.indexOf(bar.concept), COLOURS.vasopressor);
      },
    },
    {
      id: 'doses',
      title: 'Doses: anti-cytokine (tocilizumab), corticosteroid, antipyretic',
      height: 140,
      timeAxis: true,
      data: timeOnly(t),
      series: [hidden],
      y: { range: [0, 3], splits: laneSplits(3), values: laneLabels(DOSE_LABELS), label: 'dose' },
      draw: (u) => {
        for (const dose of t.doses) drawLaneMarker(u, dose.t, DOSE_LANES.indexOf(dose.kind), DOSE_COLOURS[dose.kind]);
      },
    },
  ];
}
