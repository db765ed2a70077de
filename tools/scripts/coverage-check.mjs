// A line-coverage floor per project. Nx's `test` and `test:broker` targets each write v8 coverage of the
// project's own src/ to .coverage/<project>/<target>/coverage-final.json; this merges a project's targets
// (a line the unit tests miss but a broker suite runs counts as covered), prints one row per project and
// exits 1 when a project is below its floor in tools/scripts/coverage-floors.json, has no floor, or has a
// floor but no report (its tests did not run, so nothing shows the floor still holds).
//
// Floors only go up: `--update` sets each to floor(measured) - 1 where that is higher than the committed
// one (the 1-point slack keeps a harmless refactor from failing the build), and adds missing projects.
// `--allow-missing` skips projects without a report, for runs of a subset of the projects.
//
//   node tools/scripts/coverage-check.mjs [--update] [--allow-missing]
import { createCoverageMap } from '@vitest/istanbul-lib-coverage';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const repo = new URL('../..', import.meta.url).pathname;
const reports = join(repo, '.coverage');
const floorsFile = join(repo, 'tools/scripts/coverage-floors.json');
const { values } = parseArgs({
  options: {
    update: { type: 'boolean', default: false },
    'allow-missing': { type: 'boolean', default: false },
  },
});

/**
 * Keys a coverage report by workspace-relative paths. v8 coverage names files by absolute path, and Nx
 * replays a cached target's report from whichever checkout produced it (the cache is per machine), so
 * one project's targets can name the same file under two roots; merged as they are, each file would
 * count twice with half its lines covered.
 * @param {import('@vitest/istanbul-lib-coverage').CoverageMapData} report
 * @returns {import('@vitest/istanbul-lib-coverage').CoverageMapData}
 */
function relativePaths(report) {
  /** @type {import('@vitest/istanbul-lib-coverage').CoverageMapData} */
  const out = {};
  for (const [file, coverage] of Object.entries(report)) {
    const relative = /(?:^|\/)((?:apps|libs|tools)\/[^/]+\/src\/.*)$/.exec(file)?.[1] ?? file;
    out[relative] = { ...coverage, path: relative };
  }
  return out;
}

/**
 * Line coverage per project, all its targets merged: project → { pct, targets }. A project with no
 * source under src/ (its tests cover other projects, e.g. workspace-checks) gets `pct: null`.
 * @returns {Map<string, { pct: number | null, targets: string[] }>}
 */
function measure() {
  const measured = new Map();
  if (!existsSync(reports)) return measured;
  for (const project of readdirSync(reports).sort()) {
    const map = createCoverageMap();
    const targets = [];
    for (const target of readdirSync(join(reports, project)).sort()) {
      const file = join(reports, project, target, 'coverage-final.json');
      if (!existsSync(file)) continue;
      map.merge(relativePaths(JSON.parse(readFileSync(file, 'utf8'))));
      targets.push(target);
    }
    if (!targets.length) continue;
    const lines = map.getCoverageSummary().lines;
    measured.set(project, { pct: lines.total ? Number(lines.pct) : null, targets });
  }
  return measured;
}

/** @returns {Record<string, number>} project → minimum line coverage in percent */
const readFloors = () => (existsSync(floorsFile) ? JSON.parse(readFileSync(floorsFile, 'utf8')) : {});

/** The floor a measurement earns: a point under it, so the next run need not match it to the decimal. */
const earned = (/** @type {number} */ pct) => Math.max(0, Math.floor(pct) - 1);

const measured = measure();
const floors = readFloors();

if (values.update) {
  const next = { ...floors };
  for (const [project, { pct }] of measured) {
    if (pct !== null && earned(pct) > (next[project] ?? -1)) next[project] = earned(pct);
  }
  const sorted = Object.fromEntries(Object.entries(next).sort(([a], [b]) => a.localeCompare(b)));
  writeFileSync(floorsFile, `${JSON.stringify(sorted, null, 2)}\n`);
  Object.assign(floors, sorted);
  console.log(`coverage: floors written to tools/scripts/coverage-floors.json`);
}

let failures = 0;
let skipped = 0; // projects left out of a partial run (--allow-missing)
const rows = [];
const projects = [...new Set([...measured.keys(), ...Object.keys(floors)])].sort();
for (const project of projects) {
  const m = measured.get(project);
  const floor = floors[project];
  let verdict;
  if (!m && values['allow-missing']) {
    skipped++;
    continue;
  } else if (!m) {
    verdict = 'FAIL: no coverage report';
  } else if (m.pct === null) {
    verdict = 'no src/ to measure';
  } else if (floor === undefined) {
    verdict = 'FAIL: no floor (run with --update)';
  } else {
    verdict = m.pct >= floor ? 'ok' : `FAIL: below floor by ${(floor - m.pct).toFixed(2)}`;
  }
  if (verdict.startsWith('FAIL')) failures++;
  const pct = m?.pct == null ? '—' : `${m.pct.toFixed(2)}%`;
  rows.push(
    `  ${project.padEnd(18)} ${pct.padStart(7)}  ${(floor === undefined ? '—' : `${floor}%`).padStart(5)}  ` +
      `${(m?.targets.join('+') ?? '').padEnd(16)} ${verdict}`,
  );
}
console.log(`\nLine coverage by project (src/ only, all test targets merged):`);
console.log(
  `  ${'project'.padEnd(18)} ${'lines'.padStart(7)}  ${'floor'.padStart(5)}  ${'targets'.padEnd(16)} result`,
);
console.log(rows.join('\n'));
if (skipped) console.log(`  (${skipped} project(s) with a floor but no report in this run not checked)`);
if (failures) {
  console.log(
    `coverage: ${failures} project(s) failed the floor check (floors: tools/scripts/coverage-floors.json)`,
  );
}
process.exit(failures ? 1 : 0);
