import { EmbeddedBus, type Bus, type BusMessage } from '@patternmesh/bus';
import { eventually } from '@patternmesh/bus/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from './logger';
import { StageWorker, type StageOutput, type StageTransform } from './stage';

let bus: EmbeddedBus | undefined;
afterEach(async () => {
  await bus?.close();
  bus = undefined;
});

const text = (m: BusMessage): string => Buffer.from(m.payload).toString('utf8');

function worker(
  transform: StageTransform,
  options: { concurrency?: number; on?: Bus; onPublished?: (outputs: readonly StageOutput[]) => void } = {},
): StageWorker {
  return new StageWorker({
    bus: options.on ?? bus!,
    logger: createLogger('stage-test', { level: 'silent' }),
    stage: 'test',
    topic: 'in',
    subscription: 'stage',
    concurrency: options.concurrency ?? 8,
    maxDeliveries: 3,
    retryDelayMs: 20,
    transform,
    onPublished: options.onPublished,
  });
}

const publishInputs = (n: number): Promise<string[]> =>
  Promise.all(
    Array.from({ length: n }, (_, i) => bus!.publish('in', { key: `k${i}`, payload: Buffer.from(`m${i}`) })),
  );

const unsettled = async (topic: string, subscription: string): Promise<number | undefined> =>
  (await bus!.backlog([{ topic, subscription }]))[0]?.backlog;

describe('StageWorker', () => {
  it('retries a failed message alone: the rest of what it took at once is processed once', async () => {
    bus = new EmbeddedBus();
    const attempts = new Map<string, number>();
    let failed = false;
    const stage = worker((m) => {
      const body = text(m);
      attempts.set(body, (attempts.get(body) ?? 0) + 1);
      if (body === 'm3' && !failed) {
        failed = true;
        throw new Error('downstream hiccup');
      }
      return [];
    });
    await stage.start();
    // Published together, so the stage takes several at once.
    await publishInputs(8);
    await eventually(() => expect(attempts.get('m3')).toBe(2));
    await new Promise((r) => setTimeout(r, 100));
    for (let i = 0; i < 8; i++) expect(attempts.get(`m${i}`), `m${i}`).toBe(i === 3 ? 2 : 1);
    expect(stage.stats.snapshot()).toMatchObject({ processedTotal: 8, failedTotal: 1, inFlight: 0 });
    await stage.drain();
  });

  it('keeps per-key order and never processes more than its concurrency at once', async () => {
    bus = new EmbeddedBus();
    const byKey = new Map<string, number[]>();
    let running = 0;
    let peak = 0;
    const stage = worker(
      async (m) => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, Math.random() * 3));
        byKey.set(m.key!, [...(byKey.get(m.key!) ?? []), Number(text(m))]);
        running--;
        return [];
      },
      { concurrency: 6 },
    );
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

  it('acks an input only once the bus accepted every one of its outputs', async () => {
    // Room for 3 unsettled messages per subscription; the consumer of `out` holds what it gets.
    bus = new EmbeddedBus({ maxBacklogPerSubscription: 3 });
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const received: string[] = [];
    await bus.subscribe({ topic: 'out', subscription: 'reader', type: 'Shared' }, async (m) => {
      received.push(text(m));
      await held;
    });
    const published: string[][] = [];
    const stage = worker(
      (m) => [
        { topic: 'out', message: { payload: Buffer.from(`${text(m)}.a`) } },
        { topic: 'out', message: { payload: Buffer.from(`${text(m)}.b`) } },
      ],
      {
        onPublished: (outputs) =>
          published.push(outputs.map((o) => Buffer.from(o.message.payload).toString())),
      },
    );
    await stage.start();
    await publishInputs(3);
    // Six outputs, three accepted: m0's two and one of m1's. m1 and m2 are not acked (nor is m0 if it
    // came in the same batch: a batch is acked together, once every receipt of it is back).
    await eventually(() => expect(received).toHaveLength(3));
    await new Promise((r) => setTimeout(r, 50));
    expect(await unsettled('in', 'stage')).toBeGreaterThanOrEqual(2);
    expect(published).toEqual([['m0.a', 'm0.b']]);
    release();
    await eventually(async () => expect(await unsettled('in', 'stage')).toBe(0));
    expect(received.sort()).toEqual(['m0.a', 'm0.b', 'm1.a', 'm1.b', 'm2.a', 'm2.b']);
    expect(published).toHaveLength(3);
    await stage.drain();
  });

  it('retries only the message whose output the bus refused, with all its outputs', async () => {
    bus = new EmbeddedBus();
    const real = bus;
    let refuse = true;
    // The real bus, refusing one publish once: what a broker's error on one send looks like.
    const flaky: Bus = Object.assign(Object.create(real) as Bus, {
      publish: (topic: string, message: Parameters<Bus['publish']>[1]) => {
        if (refuse && Buffer.from(message.payload).toString() === 'm2.b') {
          refuse = false;
          return Promise.reject(new Error('broker said no'));
        }
        return real.publish(topic, message);
      },
    });
    const outputs: string[] = [];
    await bus.subscribe({ topic: 'out', subscription: 'reader', type: 'Shared' }, async (m) => {
      outputs.push(text(m));
    });
    const stage = worker(
      (m) => [
        { topic: 'out', message: { payload: Buffer.from(`${text(m)}.a`) } },
        { topic: 'out', message: { payload: Buffer.from(`${text(m)}.b`) } },
      ],
      { on: flaky },
    );
    await stage.start();
    await publishInputs(4);
    await eventually(async () => {
      expect(await unsettled('in', 'stage')).toBe(0);
      expect(outputs).toHaveLength(9);
    });
    // m2 ran twice: its first `.a` went out before `.b` was refused (at least once), the others once.
    expect(outputs.filter((o) => o === 'm2.a')).toHaveLength(2);
    expect(outputs.filter((o) => o === 'm2.b')).toHaveLength(1);
    for (const m of ['m0', 'm1', 'm3'])
      expect(
        outputs.filter((o) => o.startsWith(`${m}.`)),
        m,
      ).toHaveLength(2);
    expect(stage.stats.snapshot()).toMatchObject({ processedTotal: 4, failedTotal: 1, inFlight: 0 });
    await stage.drain();
  });
});
