// The test part of `npm test`: lint, typecheck and every project's tests through Nx, then one line that
// totals every suite — `N passed, N failed, N skipped` — from the JSON report each vitest run writes
// to .test-results/. Exits with Nx's code. Extra arguments go to `nx run-many`.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;
const results = join(root, '.test-results');
rmSync(results, { recursive: true, force: true });
mkdirSync(results);

const nx = spawnSync(
  join(root, 'node_modules/.bin/nx'),
  ['run-many', '-t', 'lint', 'typecheck', 'test', '--outputStyle=stream', ...process.argv.slice(2)],
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
  rows.push(
    `  ${file.replace(/\.json$/, '').padEnd(18)} ${p} passed, ${f} failed${s ? `, ${s} skipped` : ''}`,
  );
}
process.stdout.write(`\nTests by project:\n${rows.join('\n')}\n`);
process.stdout.write(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
process.exit(nx.status ?? 1);
