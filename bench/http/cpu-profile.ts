/**
 * Where a process spent its CPU, from a V8 `.cpuprofile` (`node --cpu-prof`): self time grouped by
 * where the code lives (our layers by directory, dependencies by package, Node internals, GC) and the
 * functions with the most self time. Only the serving period counts: samples before the first HTTP
 * request (module loading, schema compilation at start-up) are left out.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly children?: readonly number[];
}
interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** One row of a breakdown: a name and its share of the busy (non-idle) time. */
export interface ProfileShare {
  readonly name: string;
  readonly ms: number;
  readonly percent: number;
}

export interface ProfileSummary {
  readonly busyMs: number;
  readonly byArea: readonly ProfileShare[];
  readonly topFunctions: readonly ProfileShare[];
}

/** Where a frame's code lives: `src/protocol`, `express`, `node internals`, `(garbage collector)` … */
function area(url: string, functionName: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg?.[1] !== undefined) return pkg[1];
  if (url.startsWith('node:')) return 'node internals';
  const own = /\/(src\/[^/]+|hooks)\//.exec(url);
  return own?.[1] ?? url.replace(/^file:\/\/.*\//, '');
}

const shares = (totals: Map<string, number>, busy: number, limit: number): ProfileShare[] =>
  [...totals.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([name, us]) => ({ name, ms: Math.round(us / 100) / 10, percent: Math.round((us / busy) * 1000) / 10 }));

/**
 * Summarises a profile file.
 * @param path - the `.cpuprofile` written by `node --cpu-prof`
 * @param limit - rows per table
 * @returns the summary, or `undefined` for a profile that served no request (another thread's)
 */
export function summariseCpuProfile(path: string, limit = 12): ProfileSummary | undefined {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parents = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  // Node's HTTP server hands each parsed request to `parserOnIncoming`: the first such stack starts serving.
  const serving = (id: number): boolean => {
    for (let at: number | undefined = id; at !== undefined; at = parents.get(at)) {
      if (nodes.get(at)?.callFrame.functionName === 'parserOnIncoming') return true;
    }
    return false;
  };
  const firstRequest = profile.samples.findIndex(serving);
  if (firstRequest < 0) return undefined;
  const byArea = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let busy = 0;
  profile.samples.forEach((id, index) => {
    const node = nodes.get(id);
    const us = profile.timeDeltas[index] ?? 0;
    if (index < firstRequest || node === undefined || node.callFrame.functionName === '(idle)') return;
    busy += us;
    const { functionName, url, lineNumber } = node.callFrame;
    const where = area(url, functionName);
    byArea.set(where, (byArea.get(where) ?? 0) + us);
    const label = `${functionName || '(anonymous)'} ${url === '' ? '' : `${url.replace(/^.*\/(node_modules|src|hooks)\//, '$1/')}:${lineNumber + 1}`}`.trim();
    byFunction.set(label, (byFunction.get(label) ?? 0) + us);
  });
  return { busyMs: Math.round(busy / 1000), byArea: shares(byArea, busy, limit), topFunctions: shares(byFunction, busy, limit) };
}
