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
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
const initial = { version: 'built-in', value: { version: 'built-in', limit: 10 } };
const open: Array<LiveDocument<Limits>> = [];
const replica = (bus: EmbeddedBus, extra: { path?: string } = {}) => {
  const doc = new LiveDocument<Limits>({
    kind: limitsKind,
    initial,
    bus,
    topic: TOPIC,
    logger: silent,
    ...extra,
  });
  open.push(doc);
  return doc;
};
afterEach(async () => {
  await Promise.all(open.splice(0).map((d) => d.stop()));
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

    const late = replica(bus);
    await late.start(); // resolves once it has read everything published before it
    expect(late.current.version).toBe('v2');
    await bus.close();
  });

  it('refuses an invalid document before publishing it, so no replica ever sees it', async () => {
    const bus = new EmbeddedBus();
    const a = replica(bus);
    const b = replica(bus);
    await Promise.all([a.start(), b.start()]);
    const error = await a.publish({ version: 'v3', limit: 1_000 }).catch((e: unknown) => e);
    expect(isDocumentInvalidError(error)).toBe(true);
    expect([a.current.version, b.current.version]).toEqual(['built-in', 'built-in']);
    await bus.close();
  });

  it('ignores a message on the topic that is not a valid document, keeping the version in force', async () => {
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

  it('takes a mounted file first, then what the control topic holds (the admin API wins until the file changes)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'pm-live-'));
    try {
      const file = path.join(dir, 'rules.json');
      writeFileSync(file, JSON.stringify({ version: 'from-file', limit: 5 }));
      const bus = new EmbeddedBus();
      const first = replica(bus, { path: file });
      await first.start();
      expect(first.current.version).toBe('from-file');
      await first.publish({ version: 'from-api', limit: 7 });

      const second = replica(bus, { path: file });
      await second.start();
      expect(second.current.version).toBe('from-api');

      writeFileSync(file, JSON.stringify({ version: 'file-v2', limit: 6 }));
      await eventually(() => expect(second.current.version).toBe('file-v2'));
      await bus.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
