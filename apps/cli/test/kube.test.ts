import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { kubeToolScript } from '../src/commands/kube';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const bin = path.join(root, 'apps/cli/bin/patternmesh.js');

describe('patternmesh kube', () => {
  it('finds the checkout’s tools/kube from anywhere below the root, and nothing outside a checkout', () => {
    expect(kubeToolScript(path.join(root, 'apps/cli/src/commands/kube.ts'))).toBe(
      path.join(root, 'tools/kube/src/kube-cli.ts'),
    );
    expect(kubeToolScript(path.join(os.tmpdir(), 'x', 'y.js'))).toBeUndefined();
  });

  it('passes the action and its options to the tool and exits with its code', () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-kube-'));
    const status = spawnSync(process.execPath, [bin, 'kube', 'status', '--data-dir', dataDir], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(status.stdout).toBe(`not running (${dataDir})\n`);
    expect(status.status).toBe(3);
    const wrong = spawnSync(process.execPath, [bin, 'kube', 'launch'], { cwd: root, encoding: 'utf8' });
    expect(wrong.stderr).toContain("unknown command 'launch'");
    expect(wrong.status).toBe(2);
  });
});
