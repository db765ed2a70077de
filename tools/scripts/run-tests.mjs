// The test part of `npm test`: lint, typecheck, every project's unit tests (`test`), broker suites
// (`test:broker`) and Kubernetes API server suites (`test:kube`) through Nx, then the coverage floors (coverage-check.mjs), then one line that totals
// every suite — `N passed, N failed, N skipped` — from the JSON report each vitest run writes to
// .test-results/ (`<project>.json` for `test`, `<project>-broker.json` for `test:broker`,
// `<project>-kube.json` for `test:kube`). That line is
// always the last one. Exits non-zero if Nx or the coverage check failed. Extra arguments go to
// `nx run-many` (and then projects left out of the run are not held to their coverage floor).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;
const results = join(root, '.test-results');
// Both are rebuilt by this run (cached `test` targets restore theirs), so nothing stale gets counted.
rmSync(results, { recursive: true, force: true });
rmSync(join(root, '.coverage'), { recursive: true, force: true });
mkdirSync(results);

const extra = process.argv.slice(2);
const nx = spawnSync(
  join(root, 'node_modules/.bin/nx'),
  [
    'run-many',
    '-t',
    'lint',
    'typecheck',
    'test',
    'test:broker',
    'test:kube',
    '--outputStyle=stream',
    ...extra,
  ],
  { cwd: root, stdio: 'inherit' },
);

let passed = 0;
let failed = 0;
let skipped = 0;
const rows = [];
for (const file of readdirSync(results)
  .filter((f) => f.endsWith('.json'))
  .sort()) {
  const report = JSON.parse(readFileSync(join(results, file), 'utf8'));
  const p = report.numPassedTests ?? 0;
  const f = report.numFailedTests ?? 0;
  const s = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  passed += p;
  failed += f;
  skipped += s;
  // `<project>.json` from `test`, `<project>-<suite>.json` from `test:<suite>`.
  const suite = /-(broker|kube)\.json$/.exec(file)?.[1];
  const project = file.slice(0, -(suite ? `-${suite}.json` : '.json').length);
  const target = suite ? `test:${suite}` : 'test';
  rows.push({
    key: `${project}\0${target}`,
    text: `  ${project.padEnd(18)} ${target.padEnd(12)} ${p} passed, ${f} failed${s ? `, ${s} skipped` : ''}`,
  });
}
// Sorted by project, then target: file names alone would put `pulsar-tools` between pulsar's two reports.
rows.sort((a, b) => (a.key < b.key ? -1 : 1));
process.stdout.write(`\nTests by project:\n${rows.map((r) => r.text).join('\n')}\n`);

const coverage = spawnSync(
  process.execPath,
  [join(root, 'tools/scripts/coverage-check.mjs'), ...(extra.length ? ['--allow-missing'] : [])],
  { cwd: root, stdio: 'inherit' },
);

process.stdout.write(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
// A child killed by a signal has no status: that is a failure too.
process.exit((nx.status ?? 1) || (coverage.status ?? 1));
