/**
 * Chart colours. Lines and marks are at least 3:1 against the white plot (WCAG 1.4.11, non-text
 * contrast); shaded backgrounds are light so that lines drawn over them keep that contrast.
 */
import type { OxygenTier } from '../../../src/grading/assessment.js';
import type { DoseKind } from '../timeline-model.js';

export const COLOURS = {
  grade: '#111827',
  episodeMax: '#b91c1c',
  temperature: '#b91c1c',
  sbp: '#1d4ed8',
  map: '#6d28d9',
  spo2: '#047857',
  threshold: '#4b5563',
  masked: 'rgba(217, 119, 6, 0.14)',
  maskedEdge: '#b45309',
  vasopressor: '#9a3412',
  selection: '#0f766e',
  axis: '#1f2937',
  grid: 'rgba(17, 24, 39, 0.10)',
} as const;

/** O1 tiers from light to dark: a higher tier reads as more support. */
export const TIER_COLOURS: Readonly<Record<OxygenTier, string>> = {
  none: 'transparent',
  'low-flow': '#60a5fa',
  'high-flow': '#2563eb',
  'positive-pressure': '#1e3a8a',
};

export const DOSE_COLOURS: Readonly<Record<DoseKind, string>> = {
  'anti-cytokine': '#7e22ce',
  corticosteroid: '#15803d',
  antipyretic: '#a16207',
};
