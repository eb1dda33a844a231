/**
 * The real server process, as `npm start` runs it (`node --import tsx src/server.ts`: one process, so
 * signals reach the server itself), with its JSON log lines collected (and passed to the suite log scan).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { recordSuiteLogLine } from './suite-log.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface ServerProcess {
  readonly child: ChildProcess;
  /** Every JSON log line so far. */
  readonly logs: () => Record<string, unknown>[];
  /** The first log line with this `msg` after the first `after` lines; rejects if the process exits. */
  readonly waitForLog: (msg: string, after?: number) => Promise<Record<string, unknown>>;
  /** Waits for "crs-cds listening" and answers the base URL on 127.0.0.1. */
  readonly baseUrl: () => Promise<string>;
}

/**
 * Starts the server on a free port.
 * @param env - extra environment (CRS_CDS_CONFIG, LOG_LEVEL, ...)
 */
export function startServerProcess(env: Record<string, string> = {}): ServerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const records: Record<string, unknown>[] = [];
  let buffered = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) {
      recordSuiteLogLine(line);
      if (line.startsWith('{')) records.push(JSON.parse(line) as Record<string, unknown>);
    }
  });
  const waitForLog = async (msg: string, after = 0): Promise<Record<string, unknown>> => {
    for (let waited = 0; waited < 20_000; waited += 50) {
      const found = records.slice(after).find((r) => r['msg'] === msg);
      if (found !== undefined) return found;
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`server exited (${String(child.exitCode ?? child.signalCode)}) before "${msg}"`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`no "${msg}" log line within 20 s`);
  };
  const baseUrl = async (): Promise<string> => {
    const listening = await waitForLog('crs-cds listening');
    return `http://127.0.0.1:${String(listening['port'])}`;
  };
  return { child, logs: () => records, waitForLog, baseUrl };
}

/** Resolves when the process has exited (at once if it already has). */
export function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}
