import { mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eventually } from '@patternmesh/bus/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { readDocuments, watchDocuments, type FileDocument } from './file-source';

const dirs: string[] = [];
const scratch = (): string => {
  const dir = mkdtempSync(path.join(tmpdir(), 'pm-control-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Lays out a directory the way the kubelet mounts a ConfigMap: real files behind `..data`. */
function configMapVersion(dir: string, stamp: string, files: Record<string, unknown>): void {
  const real = path.join(dir, `..${stamp}`);
  mkdirSync(real);
  for (const [name, body] of Object.entries(files))
    writeFileSync(path.join(real, name), JSON.stringify(body));
  // The kubelet's atomic swap: a new symlink renamed over `..data`.
  symlinkSync(`..${stamp}`, path.join(dir, '..data_tmp'));
  renameSync(path.join(dir, '..data_tmp'), path.join(dir, '..data'));
  for (const name of Object.keys(files)) {
    try {
      symlinkSync(path.join('..data', name), path.join(dir, name));
    } catch {
      // the per-file symlink already points through ..data
    }
  }
}

const versions = (documents: FileDocument[]) =>
  documents.map((d) => ('json' in d ? (d.json as { version: string }).version : `error: ${d.error}`));

describe('file sources', () => {
  it('reads every *.json of a directory in name order, skipping the ConfigMap dot-entries', () => {
    const dir = scratch();
    configMapVersion(dir, '2026_12_01_a', { 'b.json': { version: 'b' }, 'a.json': { version: 'a' } });
    writeFileSync(path.join(dir, 'notes.txt'), 'ignored');
    expect(versions(readDocuments(dir))).toEqual(['a', 'b']);
  });

  it('reports a file that is not JSON instead of skipping it silently', () => {
    const dir = scratch();
    writeFileSync(path.join(dir, 'routes.json'), '{ nope');
    const [document] = readDocuments(path.join(dir, 'routes.json'));
    expect(document && 'error' in document).toBe(true);
  });

  it('follows a mounted ConfigMap file through the kubelet’s symlink swap', async () => {
    const dir = scratch();
    configMapVersion(dir, '2026_12_01_a', { 'routes.json': { version: 'v1' } });
    const seen: string[] = [];
    const watcher = watchDocuments(path.join(dir, 'routes.json'), (docs) => seen.push(...versions(docs)), 20);
    try {
      expect(seen).toEqual(['v1']);
      configMapVersion(dir, '2026_12_01_b', { 'routes.json': { version: 'v2' } });
      await eventually(() => expect(seen.at(-1)).toBe('v2'));
    } finally {
      watcher.close();
    }
  });
});
