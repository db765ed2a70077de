import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

/**
 * The top self-time functions of the V8 CPU profiles (`--cpu-prof`) in `dir`, as lines
 * `<percent>% <function> <file>[:<line>]`: samples that were in the function itself, not its
 * callees, as a share of the busy samples (`(idle)` is left out and reported first). Lines are
 * those V8 saw: tsx compiles a module to one line, so for TypeScript files the line says nothing.
 */
export function summarizeCpuProfiles(dir: string, top: number): string[] {
  const self = new Map<string, number>();
  let total = 0;
  let idle = 0;
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))) {
    const profile = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as { nodes: ProfileNode[] };
    for (const node of profile.nodes) {
      const hits = node.hitCount ?? 0;
      if (hits === 0) continue;
      const { functionName, url, lineNumber } = node.callFrame;
      const short = url.replace(/^file:\/\/.*?\/(node_modules|libs|apps|tools)\//, '$1/');
      const where = !url ? '' : lineNumber > 0 ? `${short}:${lineNumber + 1}` : short;
      const key = `${functionName || '(anonymous)'} ${where}`.trim();
      if (functionName === '(idle)') {
        idle += hits;
        continue;
      }
      self.set(key, (self.get(key) ?? 0) + hits);
      total += hits;
    }
  }
  const lines = [...self]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([key, hits]) => `${((hits / total) * 100).toFixed(1)}% ${key}`);
  return [
    `idle ${((idle / (idle + total)) * 100).toFixed(1)}% of all samples; below: share of busy samples`,
    ...lines,
  ];
}
