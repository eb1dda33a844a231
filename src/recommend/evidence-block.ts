/**
 * The evidence block of a card's detail (markdown), in words from `cards/crs-phrases.json`: the window and
 * day +N, temperature (highest and latest, C5; "none charted" versus "none countable", C4), F2 masking or
 * its end, blood pressure (with the H1-P threshold), vasopressors (E3-R inference), oxygen (devices, flows,
 * FiO2, room air, unrecognised devices), SpO2, the episode maximum, tocilizumab doses (T-L, on hold) and
 * the corticosteroids of the T-S window.
 */
import type { Config } from '../config/types.js';
import type { Assessment } from '../grading/assessment.js';
import { temperatureReasons } from './data-notes.js';
import { chartMarkdown, formatNumber, formatTemperature, formatUtc, phrase } from './render-template.js';
import { distinctNames } from './summary-findings.js';
import type { CardTemplates } from './templates.js';
import { ageText, conceptName, countText, steroidDoseText } from './wording.js';

/** Oxygen devices and flows listed in the evidence. */
const MAX_OXYGEN_ITEMS = 3;

function contextLine(a: Assessment, t: CardTemplates, config: Config): string {
  const m = a.monitoring;
  if (m.indexTherapy !== undefined && m.dayPlus !== undefined) {
    return phrase(t, 'evidence.context-therapy', {
      dayPlus: m.dayPlus,
      product: conceptName(m.indexTherapy.concept, config),
      start: formatUtc(m.indexTherapy.start),
    });
  }
  return phrase(t, 'evidence.context-condition', { start: formatUtc(m.episodeStart) });
}

function temperatureLines(a: Assessment, t: CardTemplates, config: Config): string[] {
  const lines: string[] = [];
  const { max, latest } = a.fever;
  if (max?.value === undefined) {
    const why = temperatureReasons(a, t);
    lines.push(why === '' ? phrase(t, 'evidence.no-temperature') : phrase(t, 'evidence.no-countable-temperature', { why }));
  } else {
    const latestText =
      latest?.value === undefined ? '' : phrase(t, 'evidence.latest-temperature', { temp: formatTemperature(latest.value), time: formatUtc(latest.time) });
    const values = { temp: formatTemperature(max.value), time: formatUtc(max.time), latest: latestText };
    lines.push(phrase(t, a.fever.present ? 'evidence.fever' : 'evidence.temperature', values));
  }
  if (a.fever.masked && a.fever.maskedBy !== undefined) {
    lines.push(phrase(t, 'evidence.masked', { agent: conceptName(a.fever.maskedBy.kind, config), time: formatUtc(a.fever.maskedBy.time) }));
  }
  const ended = a.fever.maskingEnded;
  if (ended !== undefined) {
    const hours = ended.by === 'resolution' ? config.grading.resolutionHours : config.grading.maskingMaxHours;
    lines.push(
      phrase(t, 'evidence.masking-ended', {
        agent: conceptName(ended.agent.kind, config),
        time: formatUtc(ended.agent.time),
        ended: formatUtc(ended.at),
        reason: phrase(t, ended.by === 'resolution' ? 'masking.ended-resolution' : 'masking.ended-max-hours', { hours }),
      }),
    );
  }
  return lines;
}

function pressureLines(a: Assessment, t: CardTemplates, config: Config): string[] {
  const h = a.hypotension;
  const lines: string[] = [];
  if (h.lowestSbp?.value !== undefined) {
    const threshold =
      h.sbpThreshold === undefined ? '' : phrase(t, 'evidence.sbp-threshold-child', { threshold: h.sbpThreshold.mmHg, age: ageText(h.sbpThreshold, t) });
    lines.push(phrase(t, 'evidence.sbp', { value: formatNumber(h.lowestSbp.value, 0), time: formatUtc(h.lowestSbp.time), threshold }));
  }
  if (h.lowestMap?.value !== undefined) {
    lines.push(phrase(t, 'evidence.map', { value: formatNumber(h.lowestMap.value, 0), time: formatUtc(h.lowestMap.time) }));
  }
  if (lines.length === 0) lines.push(phrase(t, 'evidence.no-bp'));
  const pressors = h.vasopressors ?? [];
  if (pressors.length > 0) {
    const inferred = h.concurrencyInferredFromRates === true ? phrase(t, 'evidence.rates-inferred') : '';
    lines.push(phrase(t, 'evidence.vasopressors', { drugs: distinctNames(pressors, config), inferred }));
  }
  return lines;
}

function oxygenLines(a: Assessment, t: CardTemplates): string[] {
  const o = a.oxygen;
  const lines: string[] = [];
  const item = (e: NonNullable<typeof o.evidence>[number]): string => {
    const time = formatUtc(e.time);
    if (e.kind === 'o2-flow' && e.value !== undefined) return phrase(t, 'evidence.oxygen-flow', { value: formatNumber(e.value), time });
    if (e.kind === 'fio2' && e.value !== undefined) return phrase(t, 'evidence.oxygen-fio2', { value: formatNumber(e.value, 0), time });
    return phrase(t, 'evidence.oxygen-device', { device: e.display === undefined ? phrase(t, `tier.${o.tier === 'none' ? 'low-flow' : o.tier}`) : chartMarkdown(e.display), time });
  };
  if (o.tier !== 'none') {
    const tier = phrase(t, `tier.${o.tier}`);
    const items = (o.evidence ?? []).slice(0, MAX_OXYGEN_ITEMS).map(item);
    lines.push(items.length > 0 ? phrase(t, 'evidence.oxygen', { tier, items: items.join('; ') }) : phrase(t, 'evidence.oxygen-tier', { tier }));
  } else if (o.roomAir !== undefined) {
    // Never "no support documented" while a device or a flow was charted.
    lines.push(phrase(t, 'evidence.oxygen-room-air', { item: item(o.roomAir) }));
  } else {
    lines.push(phrase(t, 'evidence.oxygen-none'));
  }
  for (const device of o.unrecognisedDevices ?? []) {
    lines.push(phrase(t, 'evidence.oxygen-unrecognised', { device: chartMarkdown(device.display ?? ''), time: formatUtc(device.time) }));
  }
  if (o.lowestSpo2?.value !== undefined) {
    lines.push(phrase(t, 'evidence.spo2', { value: formatNumber(o.lowestSpo2.value, 0), time: formatUtc(o.lowestSpo2.time) }));
  }
  return lines;
}

function courseLines(a: Assessment, t: CardTemplates, config: Config, dosesInEpisode: number): string[] {
  const lines: string[] = [];
  if (a.episodeMaxGrade === undefined) lines.push(phrase(t, 'evidence.episode-max-none'));
  else {
    const time = a.episodeMaxGradeAt === undefined ? formatUtc(a.evaluatedAt) : formatUtc(a.episodeMaxGradeAt);
    lines.push(phrase(t, 'evidence.episode-max', { grade: a.episodeMaxGrade, time }));
  }
  const last = a.tocilizumab.lastDoseAt;
  // T-L: an on-hold dose counts, and is called "on hold" rather than "given".
  const onHold = last !== undefined && (a.tocilizumab.onHoldDoseTimes ?? []).includes(last) ? phrase(t, 'evidence.tocilizumab-on-hold') : '';
  lines.push(
    dosesInEpisode > 0 && last !== undefined
      ? phrase(t, 'evidence.tocilizumab', { doses: countText(t, 'dose', dosesInEpisode), last: formatUtc(last), onHold })
      : phrase(t, 'evidence.tocilizumab-none'),
  );
  const steroids = a.corticosteroids;
  if (steroids !== undefined) {
    lines.push(
      phrase(t, 'evidence.corticosteroids', {
        hours: steroids.windowHours,
        items: steroids.doses.map((d) => steroidDoseText(d, t, config)).join('; '),
        dexamethasoneMg: formatNumber(steroids.dexamethasoneMg),
      }),
    );
  }
  return lines;
}

/**
 * The evidence block of a card's detail (markdown).
 * @param a - the assessment
 * @param t - templates
 * @param config - code lists for names, F2 hours
 * @param dosesInEpisode - tocilizumab doses in the episode (T-L count)
 */
export function evidenceBlock(a: Assessment, t: CardTemplates, config: Config, dosesInEpisode: number): string {
  const heading = phrase(t, 'evidence.heading', {
    lookbackHours: a.lookbackHours,
    evaluatedAt: formatUtc(a.evaluatedAt),
    context: contextLine(a, t, config),
  });
  return [
    heading,
    ...temperatureLines(a, t, config),
    ...pressureLines(a, t, config),
    ...oxygenLines(a, t),
    ...courseLines(a, t, config, dosesInEpisode),
  ].join('\n');
}
