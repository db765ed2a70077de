import { EmbeddedBus, type BusMessage } from '@patternmesh/bus';
import { eventually } from '@patternmesh/bus/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from './logger';
import { StageWorker } from './stage';

let bus: EmbeddedBus | undefined;
afterEach(async () => {
  await bus?.close();
  bus = undefined;
});

const text = (m: BusMessage): string => Buffer.from(m.payload).toString('utf8');

function worker(process: (m: BusMessage) => Promise<void>, concurrency = 8): StageWorker {
  return new StageWorker({
    bus: bus!,
    logger: createLogger('stage-test', { level: 'silent' }),
    stage: 'test',
    topic: 'in',
    subscription: 'stage',
    concurrency,
    maxDeliveries: 3,
    retryDelayMs: 20,
    process,
  });
}

describe('StageWorker', () => {
  it('retries a failed message alone: the rest of what it took at once is processed once', async () => {
    bus = new EmbeddedBus();
    const attempts = new Map<string, number>();
    let failed = false;
    const stage = worker(async (m) => {
      const body = text(m);
      attempts.set(body, (attempts.get(body) ?? 0) + 1);
      if (body === 'm3' && !failed) {
        failed = true;
        throw new Error('downstream hiccup');
      }
    });
    await stage.start();
    // Published together, so the stage takes several at once.
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        bus!.publish('in', { key: `k${i}`, payload: Buffer.from(`m${i}`) }),
      ),
    );
    await eventually(() => expect(attempts.get('m3')).toBe(2));
    await new Promise((r) => setTimeout(r, 100));
    for (let i = 0; i < 8; i++) expect(attempts.get(`m${i}`), `m${i}`).toBe(i === 3 ? 2 : 1);
    expect(stage.stats.snapshot()).toMatchObject({ processedTotal: 8, failedTotal: 1 });
    await stage.drain();
  });

  it('keeps per-key order and never processes more than its concurrency at once', async () => {
    bus = new EmbeddedBus();
    const byKey = new Map<string, number[]>();
    let running = 0;
    let peak = 0;
    const stage = worker(async (m) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, Math.random() * 3));
      byKey.set(m.key!, [...(byKey.get(m.key!) ?? []), Number(text(m))]);
      running--;
    }, 6);
    await stage.start();
    const keys = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'];
    for (let n = 0; n < 10; n++) {
      await Promise.all(keys.map((key) => bus!.publish('in', { key, payload: Buffer.from(String(n)) })));
    }
    await eventually(() => expect([...byKey.values()].flat()).toHaveLength(100));
    for (const key of keys) expect(byKey.get(key), key).toEqual(Array.from({ length: 10 }, (_, i) => i));
    expect(peak).toBeLessThanOrEqual(6);
    expect(peak).toBeGreaterThan(1);
    await stage.drain();
  });
});
