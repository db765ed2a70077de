// Generates libs/proto/src/gen from proto/ with buf + ts-proto (both from node_modules, so it works
// offline). With --check it generates into a temporary directory and fails if the committed code
// differs: generated code is never edited by hand and never drifts from the .proto files.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;
const genDir = join(root, 'libs/proto/src/gen');
const check = process.argv.includes('--check');
const buf = join(root, 'node_modules/.bin/buf');

function listFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}

execFileSync(buf, ['lint'], { cwd: root, stdio: 'inherit' });

if (!check) {
  rmSync(genDir, { recursive: true, force: true });
  execFileSync(buf, ['generate'], { cwd: root, stdio: 'inherit' });
  console.log('generated libs/proto/src/gen');
  process.exit(0);
}

const scratch = mkdtempSync(join(tmpdir(), 'pm-proto-'));
try {
  cpSync(join(root, 'proto'), join(scratch, 'proto'), { recursive: true });
  cpSync(join(root, 'buf.yaml'), join(scratch, 'buf.yaml'));
  const template = readFileSync(join(root, 'buf.gen.yaml'), 'utf8').replace(
    './node_modules/.bin/protoc-gen-ts_proto',
    join(root, 'node_modules/.bin/protoc-gen-ts_proto'),
  );
  writeFileSync(join(scratch, 'buf.gen.yaml'), template);
  execFileSync(buf, ['generate'], { cwd: scratch, stdio: 'inherit' });
  const fresh = join(scratch, 'libs/proto/src/gen');
  const want = listFiles(fresh)
    .map((f) => relative(fresh, f))
    .sort();
  const have = listFiles(genDir)
    .map((f) => relative(genDir, f))
    .sort();
  const drift = [
    ...want.filter((f) => !have.includes(f)).map((f) => `missing: ${f}`),
    ...have.filter((f) => !want.includes(f)).map((f) => `stale: ${f}`),
    ...want
      .filter(
        (f) =>
          have.includes(f) && readFileSync(join(fresh, f), 'utf8') !== readFileSync(join(genDir, f), 'utf8'),
      )
      .map((f) => `differs: ${f}`),
  ];
  if (drift.length > 0) {
    console.error(`generated code drifted from proto/ (run npm run proto:gen):\n  ${drift.join('\n  ')}`);
    process.exit(1);
  }
  console.log(`proto: buf lint clean, ${want.length} generated files match proto/`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
