/** The replay's progress bar: drawn on a terminal only (patients done / total, rate, ETA), never on a pipe. */
import { expect, test } from 'vitest';
import { progressBar } from '../../src/replay/progress.js';

function stream(isTTY: boolean) {
  const chunks: string[] = [];
  return { isTTY, write: (chunk: string) => chunks.push(chunk), chunks };
}

test('on a pipe or a file nothing is written', () => {
  const pipe = stream(false);
  const bar = progressBar(pipe, 10);
  for (let i = 0; i < 10; i++) bar.tick();
  bar.done();
  expect(pipe.chunks).toEqual([]);
});

test('on a terminal: done / total, the rate, the ETA, redrawn at most every 200 ms, cleared at the end', () => {
  const tty = stream(true);
  let now = 0;
  const bar = progressBar(tty, 4, () => now);
  now = 1000;
  bar.tick(); // 1 of 4 after 1 s: 1/s, 3 s left
  now = 1100;
  bar.tick(); // within 200 ms of the last drawing: not redrawn
  now = 1500;
  bar.tick();
  now = 1600;
  bar.tick(); // the last patient is always drawn
  bar.done();
  expect(tty.chunks).toEqual([
    '\r[######..................] 1/4 patients, 1.0/s, ETA 3s ',
    '\r[##################......] 3/4 patients, 2.0/s, ETA 1s ',
    '\r[########################] 4/4 patients, 2.5/s, ETA 0s ',
    '\r\u001b[2K',
  ]);
});

test('a long ETA is shown in minutes', () => {
  const tty = stream(true);
  let now = 0;
  const bar = progressBar(tty, 1000, () => now);
  now = 2000;
  bar.tick();
  expect(tty.chunks[0]).toContain('1/1000 patients, 0.5/s, ETA 33m18s');
});
