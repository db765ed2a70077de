// buf breaking against the previous commit on main: a change to proto/ must not break existing
// clients or subscribers (FILE rules: no removed or renumbered fields, no renamed services).
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;
const git = (...args) => execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
let against;
try {
  against = process.env.PROTO_BREAKING_AGAINST || git('rev-parse', '--verify', '--quiet', 'HEAD~1');
  git('cat-file', '-e', `${against}:proto`);
} catch {
  console.log('proto: no earlier commit with proto/ to compare against; skipping buf breaking');
  process.exit(0);
}
execFileSync(join(root, 'node_modules/.bin/buf'), ['breaking', '--against', `.git#ref=${against},subdir=.`], {
  cwd: root,
  stdio: 'inherit',
});
console.log(`proto: no breaking changes against ${against.slice(0, 12)}`);
