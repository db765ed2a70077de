import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './processes';

// `npm run bench -- e2e --smoke` end to end: the all-in-one started by the bench, a few seconds of
// load, every acknowledged pattern found on its lane and the archive. Figures are not judged (no
// timing thresholds), only that each RESULT line is there with numbers in every field.
const fields = (line: string) =>
  Object.fromEntries(
    line
      .split(' ')
      .slice(2)
      .map((kv) => kv.split('=') as [string, string]),
  );

describe('e2e bench --smoke', () => {
  it('delivers every acknowledged pattern and prints the all-in-one RESULT lines', () => {
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'tools/bench/src/main.ts', 'e2e', '--smoke'],
      {
        cwd: repoRoot,
        encoding: 'utf8',
        timeout: 240_000,
      },
    );
    expect(run.status, run.stderr).toBe(0);
    const lines = run.stdout.split('\n');
    const result = (name: string) => lines.find((l) => l.startsWith(`RESULT ${name} `));

    const pipeline = result('e2e-all-in-one');
    expect(pipeline, run.stdout).toBeDefined();
    const p = fields(pipeline!);
    expect(Object.keys(p)).toEqual([
      'max_events_per_s',
      'p50_ms',
      'p99_ms',
      'critical_p99_ms',
      'rss_mb_max',
      'lost',
    ]);
    for (const [key, value] of Object.entries(p))
      expect(Number.isFinite(Number(value)), `${key}=${value}`).toBe(true);
    expect(p['lost']).toBe('0');

    const unary = result('e2e-unary-all-in-one');
    expect(unary, run.stdout).toBeDefined();
    const u = fields(unary!);
    expect(Object.keys(u)).toEqual(['req_per_s', 'hello_req_per_s', 'ratio']);
    for (const [key, value] of Object.entries(u))
      expect(Number.isFinite(Number(value)), `${key}=${value}`).toBe(true);

    // The mix reaches every lane, critical included (otherwise critical_p99_ms would measure nothing).
    const info = lines.find((l) => l.startsWith('INFO e2e-all-in-one '))!;
    // The INFO line starts `lanes critical=N standard=N bulk=N`: the first match of each is its count.
    for (const lane of ['critical', 'standard', 'bulk'])
      expect(Number(new RegExp(` ${lane}=(\\d+)`).exec(info)?.[1]), lane).toBeGreaterThan(0);
  }, 300_000);
});
