// buf breaking against the published contract: `proto/baseline.image.json`, a buf image of the protos
// as last released. Clients and subscribers were built against that, so a change that breaks it
// (removed or renumbered fields, renamed services: the FILE rules) fails, however many commits ago the
// protos last changed. The baseline moves only on purpose: `--update-baseline` when a release is cut.
// A missing baseline fails the check: it never silently passes.
//
//   node tools/scripts/proto-breaking.mjs [--dir DIR] [--update-baseline]
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const repo = new URL('../..', import.meta.url).pathname;
const { values } = parseArgs({
  options: { dir: { type: 'string' }, 'update-baseline': { type: 'boolean', default: false } },
});
const dir = resolve(values.dir ?? repo);
const baseline = 'proto/baseline.image.json';
const buf = (...args) =>
  execFileSync(join(repo, 'node_modules/.bin/buf'), args, { cwd: dir, stdio: 'inherit' });

if (values['update-baseline']) {
  buf('build', '--exclude-source-info', '-o', baseline);
  console.log(`proto: baseline written to ${baseline}; commit it with the release`);
  process.exit(0);
}
if (!existsSync(join(dir, baseline))) {
  console.error(`proto: ${baseline} is missing, so nothing says what clients rely on; restore it from git`);
  process.exit(1);
}
try {
  buf('breaking', '--against', baseline);
} catch {
  console.error(
    `proto: breaking changes against ${baseline} (see above); keep old fields (reserve their numbers) or cut a new package version`,
  );
  process.exit(1);
}
console.log(`proto: no breaking changes against ${baseline}`);
