/**
 * The data-notes block of a card's detail (findings, a missing weight, ignored data) and the wording of
 * a missing or uncountable temperature (G-I, C4: "no temperature charted" only when none was charted;
 * otherwise "no countable temperature" and why).
 */
import type { Config } from '../config/types.js';
import type { Assessment, DataQualityNote } from '../grading/assessment.js';
import { chartMarkdown, chartText, formatNumber, formatUtc, phrase } from './render-template.js';
import type { CardTemplates } from './templates.js';
import { countText } from './wording.js';

/** Data-quality notes listed one by one before the rest are counted. */
const MAX_NOTES = 3;

/** `system|code` as a reader knows it: "LOINC 8334-5". */
function codeText(observationCode: string | undefined): string {
  if (observationCode === undefined) return '?';
  const bar = observationCode.lastIndexOf('|');
  const system = bar < 0 ? '' : observationCode.slice(0, bar);
  const code = observationCode.slice(bar + 1);
  const name = system === 'http://loinc.org' ? 'LOINC' : system === 'http://snomed.info/sct' ? 'SNOMED CT' : system;
  return chartText(name === '' ? code : `${name} ${code}`);
}

/**
 * C4: why the temperatures charted in the window could not be counted ("status entered-in-error, unit not
 * understood"); '' when none was charted.
 * @param a - the assessment (its temperature notes)
 * @param t - templates
 */
export function temperatureReasons(a: Assessment, t: CardTemplates): string {
  const reasons = (a.dataQuality ?? [])
    .filter((n) => n.kind === 'temperature')
    .map((n) => {
      switch (n.code) {
        case 'status-not-counted':
          return phrase(t, 'why.status', { status: chartText(n.status ?? '') });
        case 'unlisted-temperature-code':
          return phrase(t, 'why.unlisted-code', { code: codeText(n.observationCode) });
        case 'implausible-value':
          return phrase(t, 'why.implausible-value');
        default:
          return phrase(t, 'why.unknown-unit');
      }
    });
  return [...new Set(reasons)].join(', ');
}

/**
 * G-I: the data gap in a few words (summary) and in full (detail).
 * @param a - the assessment (indeterminate)
 * @param t - templates
 */
export function gapText(a: Assessment, t: CardTemplates): { readonly short: string; readonly detail: string } {
  const lookbackHours = a.lookbackHours;
  const why = temperatureReasons(a, t);
  const countable = (a.dataGaps ?? []).some((g) => g.code === 'no-usable-temperature') && why !== '';
  return countable
    ? { short: phrase(t, 'gap.no-usable-temperature', { lookbackHours }), detail: phrase(t, 'gap.detail.no-usable-temperature', { lookbackHours, why }) }
    : { short: phrase(t, 'gap.no-temperature', { lookbackHours }), detail: phrase(t, 'gap.detail.no-temperature', { lookbackHours }) };
}

function qualityLine(note: DataQualityNote, t: CardTemplates): string {
  const kind = chartMarkdown(note.kind ?? note.resourceType);
  const value = chartMarkdown([note.value === undefined ? undefined : formatNumber(note.value, 2), note.unit].filter((v) => v !== undefined).join(' '));
  switch (note.code) {
    case 'unknown-unit':
      return phrase(t, 'note.unknown-unit', { kind, value });
    case 'implausible-value':
      return phrase(t, 'note.implausible-value', { kind, value });
    case 'missing-time':
      return phrase(t, 'note.missing-time', { kind });
    case 'unresolved-medication':
      return phrase(t, 'note.unresolved-medication');
    case 'status-not-counted':
      return phrase(t, 'note.status-not-counted', { kind, value, status: chartMarkdown(note.status ?? '') });
    case 'unlisted-temperature-code':
      return phrase(t, 'note.unlisted-temperature-code', { code: chartMarkdown(codeText(note.observationCode)), value });
  }
}

/**
 * The data-notes block (markdown): findings, a missing weight, ignored data; '' when there is nothing.
 * @param a - the assessment
 * @param t - templates
 * @param config - weightMaxAgeDays
 * @param options - `weightExplained`: the card already says the weight is missing
 */
export function notesBlock(
  a: Assessment,
  t: CardTemplates,
  config: Config,
  options: { readonly weightExplained?: boolean } = {},
): string {
  const lines: string[] = [];
  for (const finding of a.findings ?? []) {
    if (finding.code === 'not-attributable-without-fever') lines.push(phrase(t, 'note.not-attributable'));
    else {
      const spo2 = finding.evidence?.find((e) => e.value !== undefined) ?? a.oxygen.lowestSpo2;
      if (spo2?.value !== undefined) {
        lines.push(phrase(t, 'note.low-spo2', { value: formatNumber(spo2.value, 0), time: formatUtc(spo2.time) }));
      }
    }
  }
  if (a.weight === undefined && options.weightExplained !== true) {
    lines.push(phrase(t, 'note.no-weight', { weightMaxAgeDays: config.grading.weightMaxAgeDays }));
  }
  const notes = a.dataQuality ?? [];
  lines.push(...notes.slice(0, MAX_NOTES).map((n) => qualityLine(n, t)));
  if (notes.length > MAX_NOTES) lines.push(phrase(t, 'note.more', { records: countText(t, 'record', notes.length - MAX_NOTES) }));
  return lines.length === 0 ? '' : [phrase(t, 'notes.heading'), ...lines].join('\n');
}
