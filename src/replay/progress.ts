/**
 * A one-line progress bar (patients done / total, rate, ETA), redrawn at most 5 times a second. Only on
 * a terminal: on a pipe or a file it writes nothing, so logs and redirected output stay clean.
 */

/** The stream the bar is drawn on (process.stderr). */
export interface ProgressStream {
  readonly isTTY?: boolean;
  write(chunk: string): unknown;
}

export interface Progress {
  /** One more patient done. */
  tick(): void;
  /** Clears the bar. */
  done(): void;
}

const REDRAW_MS = 200;
const WIDTH = 24;

function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.round(seconds);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

/**
 * @param stream - where to draw (nothing unless it is a TTY)
 * @param total - patients to do
 * @param now - clock, ms (tests)
 */
export function progressBar(stream: ProgressStream, total: number, now: () => number = () => performance.now()): Progress {
  if (stream.isTTY !== true) return { tick: () => undefined, done: () => undefined };
  const started = now();
  let done = 0;
  let drawn = Number.NEGATIVE_INFINITY;
  const draw = (): void => {
    const elapsed = (now() - started) / 1000;
    const rate = elapsed > 0 ? done / elapsed : 0;
    const filled = total === 0 ? WIDTH : Math.round((done / total) * WIDTH);
    const eta = rate > 0 ? (total - done) / rate : Number.POSITIVE_INFINITY;
    stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${done}/${total} patients, ${rate.toFixed(1)}/s, ETA ${duration(eta)} `);
  };
  return {
    tick() {
      done += 1;
      if (now() - drawn >= REDRAW_MS || done === total) {
        drawn = now();
        draw();
      }
    },
    done() {
      stream.write('\r\u001b[2K');
    },
  };
}
