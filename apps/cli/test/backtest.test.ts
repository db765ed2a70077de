import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const bin = path.join(root, 'apps/cli/bin/patternmesh.js');

/** Eight days of a weekday-shaped daily cycle, one row per minute, in a trace of its own column names. */
function writeTrace(dir: string): string {
  const rows = ['minute_start,hits'];
  for (let t = 0; t < 8 * 1440; t++) {
    const m = t % 1440;
    const busy = m > 420 && m < 1140;
    rows.push(
      `${new Date(Date.UTC(2026, 0, 5) + t * 60_000).toISOString()},${busy ? 900 + (t % 7) * 20 : 120}`,
    );
  }
  const file = path.join(dir, 'trace.csv');
  fs.writeFileSync(file, rows.join('\n'));
  return file;
}

describe('patternmesh autoscaler backtest', () => {
  it('prints the RESULT line with every figure, and writes the plot', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pm-backtest-'));
    const trace = writeTrace(dir);
    const plot = path.join(dir, 'plot.html');
    const run = spawnSync(
      process.execPath,
      [
        bin,
        'autoscaler',
        'backtest',
        '--trace',
        trace,
        '--scale',
        '10',
        '--lead-minutes',
        '4',
        '--plot',
        plot,
      ],
      { cwd: root, encoding: 'utf8' },
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const result = run.stdout.trim().split('\n').at(-1)!;
    expect(result).toMatch(
      /^RESULT autoscaler-backtest underprov_reactive=\d+ underprov_predictive=\d+ replica_min_reactive=\d+ replica_min_predictive=\d+ underprov_reduction=-?[\d.]+ cost_increase=-?[\d.]+ mase=[\d.]+$/,
    );
    expect(run.stdout).toContain('columns=minute_start,hits');
    expect(run.stdout).toContain('lead_minutes=4');
    const html = fs.readFileSync(plot, 'utf8');
    expect(html).toContain('<svg');
    expect(html).toContain(result);
  });

  it('refuses a wrong option with exit 2', () => {
    const run = spawnSync(
      process.execPath,
      [bin, 'autoscaler', 'backtest', '--trace', 'x.csv', '--lead-minutes', '0'],
      {
        cwd: root,
        encoding: 'utf8',
      },
    );
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('--lead-minutes must be an integer ≥ 1');
  });
});
