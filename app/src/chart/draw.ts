/** Canvas drawing on top of uPlot panels: thresholds, shaded spans, lanes of bars and dose markers. */
import type uPlot from 'uplot';
import type { Span } from '../timeline-model.js';

/** Plot-area x pixel (canvas pixels) of a time, clamped to the plot. */
function xPixel(u: uPlot, t: number): number {
  const { left, width } = u.bbox;
  return Math.min(left + width, Math.max(left, u.valToPos(t, 'x', true)));
}

/**
 * A dashed horizontal line at a y value (a threshold), across the plot or over one time span.
 * @param u - the plot
 * @param value - y value
 * @param colour - stroke colour
 * @param span - the time span it applies to (default: the whole plot)
 */
export function drawThreshold(u: uPlot, value: number, colour: string, span?: Span): void {
  const y = Math.round(u.valToPos(value, 'y', true));
  const { ctx, bbox } = u;
  const x0 = span === undefined ? bbox.left : xPixel(u, span.from);
  const x1 = span === undefined ? bbox.left + bbox.width : xPixel(u, span.to);
  if (x1 <= x0) return;
  ctx.save();
  ctx.strokeStyle = colour;
  ctx.lineWidth = 1.5 * devicePixelRatio;
  ctx.setLineDash([6 * devicePixelRatio, 4 * devicePixelRatio]);
  ctx.beginPath();
  ctx.moveTo(x0, y);
  ctx.lineTo(x1, y);
  ctx.stroke();
  ctx.restore();
}

/**
 * Full-height shading of time spans (F2 masked periods).
 * @param u - the plot
 * @param spans - spans to shade
 * @param colour - fill colour
 */
export function shadeSpans(u: uPlot, spans: readonly Span[], colour: string): void {
  const { ctx, bbox } = u;
  ctx.save();
  ctx.fillStyle = colour;
  for (const span of spans) {
    const x0 = xPixel(u, span.from);
    const x1 = xPixel(u, span.to);
    if (x1 > x0) ctx.fillRect(x0, bbox.top, x1 - x0, bbox.height);
  }
  ctx.restore();
}

/**
 * A bar over a time span in one lane (lane 0 at the bottom; the y scale is lanes, 0..n).
 * @param u - the plot
 * @param span - the time span
 * @param lane - lane index
 * @param colour - fill colour
 * @param heightShare - share of the lane height the bar takes (0..1]
 */
export function drawLaneBar(u: uPlot, span: Span, lane: number, colour: string, heightShare = 0.6): void {
  const x0 = xPixel(u, span.from);
  const x1 = Math.max(x0 + 2 * devicePixelRatio, xPixel(u, span.to));
  const yTop = u.valToPos(lane + 0.5 + heightShare / 2, 'y', true);
  const yBottom = u.valToPos(lane + 0.5 - heightShare / 2, 'y', true);
  u.ctx.save();
  u.ctx.fillStyle = colour;
  u.ctx.fillRect(x0, yTop, x1 - x0, yBottom - yTop);
  u.ctx.restore();
}

/**
 * A diamond marker at a time in one lane.
 * @param u - the plot
 * @param t - time, ms
 * @param lane - lane index
 * @param colour - fill colour
 */
export function drawLaneMarker(u: uPlot, t: number, lane: number, colour: string): void {
  const x = u.valToPos(t, 'x', true);
  const y = u.valToPos(lane + 0.5, 'y', true);
  const r = 6 * devicePixelRatio;
  const { ctx } = u;
  ctx.save();
  ctx.fillStyle = colour;
  ctx.beginPath();
  ctx.moveTo(x, y - r);
  ctx.lineTo(x + r, y);
  ctx.lineTo(x, y + r);
  ctx.lineTo(x - r, y);
  ctx.closePath();
  ctx.fill();
  ctx.restore();
}

/**
 * A vertical line at a time (the selected hour).
 * @param u - the plot
 * @param t - time, ms
 * @param colour - stroke colour
 */
export function drawTimeMarker(u: uPlot, t: number, colour: string): void {
  const x = Math.round(u.valToPos(t, 'x', true));
  const { ctx, bbox } = u;
  if (x < bbox.left || x > bbox.left + bbox.width) return;
  ctx.save();
  ctx.strokeStyle = colour;
  ctx.lineWidth = 2 * devicePixelRatio;
  ctx.beginPath();
  ctx.moveTo(x, bbox.top);
  ctx.lineTo(x, bbox.top + bbox.height);
  ctx.stroke();
  ctx.restore();
}
