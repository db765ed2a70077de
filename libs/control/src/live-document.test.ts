import { EmbeddedBus } from '@patternmesh/bus';
import { eventually } from '@patternmesh/bus/testing';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isDocumentInvalidError } from './document';
import { LiveDocument } from './live-document';
import { limitsKind, type Limits } from './test-kind';

const TOPIC = 'persistent://patternmesh/control/rules';
const initial = { version: 'built-in', value: { version: 'built-in', limit: 10 } };
const open: Array<LiveDocument<Limits>> = [];
const dirs: string[] = [];

/** One replica's view of the document, with the versions it put in force, in order. */
function replica(bus: EmbeddedBus, extra: { path?: string } = {}) {
  const applied: string[] = [];
  const logger = {
    info: (fields: Record<string, unknown>) => void applied.push(String(fields['version'])),
    warn: () => undefined,
    error: () => undefined,
  };
  const doc = new LiveDocument<Limits>({ kind: limitsKind, initial, bus, topic: TOPIC, logger, ...extra });
  open.push(doc);
  return Object.assign(doc, { applied });
}

function scratchFile(name: string, body: unknown): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'pm-live-'));
  dirs.push(dir);
  const file = path.join(dir, name);
  writeFileSync(file, JSON.stringify(body));
  return file;
}

afterEach(async () => {
  await Promise.all(open.splice(0).map((d) => d.stop()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('LiveDocument (embedded bus)', () => {
  it('a document published through one replica is in force on every replica, and on one started later', async () => {
    const bus = new EmbeddedBus();
    const a = replica(bus);
    const b = replica(bus);
    await Promise.all([a.start(), b.start()]);

    expect(await a.publish({ version: 'v2', limit: 50 })).toBe('v2');
    expect(a.current.version).toBe('v2'); // publish resolves once the publisher has it in force
    await eventually(() => expect(b.current.value.limit).toBe(50));

    await a.publish({ version: 'v3', limit: 60 });
    const late = replica(bus);
    await late.start(); // resolves once it has read everything published before it
    expect(late.current.version).toBe('v3');
    // It put only the latest in force, not the history on its way.
    expect(late.applied).toEqual(['v3']);
    await bus.close();
  });

  it('refuses an invalid document, or a version in force reused for other content, before publishing', async () => {
    const bus = new EmbeddedBus();
    const a = replica(bus);
    const b = replica(bus);
    await Promise.all([a.start(), b.start()]);
    expect(
      isDocumentInvalidError(await a.publish({ version: 'v3', limit: 1_000 }).catch((e: unknown) => e)),
    ).toBe(true);
    await a.publish({ version: 'v4', limit: 40 });
    await eventually(() => expect(b.current.version).toBe('v4'));
    const reused = await b.publish({ version: 'v4', limit: 41 }).catch((e: unknown) => e);
    expect(isDocumentInvalidError(reused)).toBe(true);
    await eventually(() => expect([a.current.value.limit, b.current.value.limit]).toEqual([40, 40]));
    await bus.close();
  });

  it('ignores a message on the topic that is not a valid document, keeping the one in force', async () => {
    const bus = new EmbeddedBus();
    const a = replica(bus);
    await a.start();
    await a.publish({ version: 'v2', limit: 50 });
    await bus.publish(TOPIC, { key: 'document', payload: Buffer.from('{"version":"v9","limit":-1}') });
    await bus.publish(TOPIC, { key: 'document', payload: Buffer.from('not json') });
    await a.publish({ version: 'v4', limit: 40 });
    expect(a.current.version).toBe('v4');
    await bus.close();
  });

  it('a mounted file reaches replicas without it; an API change then wins, also across a restart', async () => {
    const bus = new EmbeddedBus();
    const file = scratchFile('rules.json', { version: 'from-file', limit: 5 });
    const withFile = replica(bus, { path: file });
    const without = replica(bus);
    await without.start();
    await withFile.start(); // its file is news to the cluster: it publishes it
    await eventually(() => expect(without.current.version).toBe('from-file'));

    await without.publish({ version: 'from-api', limit: 7 });
    await eventually(() => expect(withFile.current.version).toBe('from-api'));

    // A restart with the same file does not undo the API change: the cluster has seen that file.
    await withFile.stop();
    const restarted = replica(bus, { path: file });
    await restarted.start();
    expect(restarted.current.version).toBe('from-api');
    await bus.close();
  });

  it('a changed file becomes the document everywhere; unrelated files in its directory change nothing', async () => {
    const bus = new EmbeddedBus();
    const file = scratchFile('rules.json', { version: 'file-v1', limit: 5 });
    const a = replica(bus, { path: path.dirname(file) });
    const b = replica(bus);
    await Promise.all([a.start(), b.start()]);
    await eventually(() => expect(b.current.version).toBe('file-v1'));
    await b.publish({ version: 'from-api', limit: 7 });
    await eventually(() => expect(a.current.version).toBe('from-api'));

    writeFileSync(path.join(path.dirname(file), 'notes.txt'), 'not a document');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(a.current.version).toBe('from-api');

    writeFileSync(file, JSON.stringify({ version: 'file-v2', limit: 6 }));
    await eventually(() => expect([a.current.version, b.current.version]).toEqual(['file-v2', 'file-v2']));
    const late = replica(bus);
    await late.start();
    expect(late.current.version).toBe('file-v2');
    await bus.close();
  });
});
