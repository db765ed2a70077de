import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const root = new URL('../..', import.meta.url).pathname;
const script = path.join(root, 'tools/scripts/proto-breaking.mjs');
const dirs: string[] = [];

/** A scratch copy of the contract (buf.yaml, proto/ with its baseline) to break on purpose. */
function scratch(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'pm-proto-'));
  dirs.push(dir);
  cpSync(path.join(root, 'buf.yaml'), path.join(dir, 'buf.yaml'));
  cpSync(path.join(root, 'proto'), path.join(dir, 'proto'), { recursive: true });
  return dir;
}

const check = (dir: string) => spawnSync(process.execPath, [script, '--dir', dir], { encoding: 'utf8' });

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

// The check `npm test` runs; it must fail on a breaking change even when the last commit did not
// touch proto/ (it compares with the committed baseline, not with the previous commit).
describe('buf breaking against the committed baseline', () => {
  it('passes on the contract as it is, and on an added field', () => {
    const dir = scratch();
    expect(check(dir).status).toBe(0);
    const file = path.join(dir, 'proto/patternmesh/pattern/v1/pattern.proto');
    const proto = readFileSync(file, 'utf8');
    writeFileSync(
      file,
      proto.replace('  string table_version = 5;', '  string table_version = 5;\n  string note = 6;'),
    );
    expect(check(dir).status).toBe(0);
  });

  it('fails on a removed field, naming it', () => {
    const dir = scratch();
    const file = path.join(dir, 'proto/patternmesh/pattern/v1/pattern.proto');
    const proto = readFileSync(file, 'utf8');
    expect(proto).toContain('  string table_version = 5;');
    writeFileSync(file, proto.replace('  string table_version = 5;', '  reserved 5;'));
    const result = check(dir);
    expect(result.status).toBe(1);
    expect(result.stdout + result.stderr).toMatch(/table_version.*was deleted/);
  });

  it('fails, not skips, when the baseline is missing', () => {
    const dir = scratch();
    rmSync(path.join(dir, 'proto/baseline.image.json'));
    const result = check(dir);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('baseline.image.json is missing');
  });
});
