import { describe, expect, it } from 'vitest';
import { runBusConformance } from '../testing';
import { EmbeddedBus } from './embedded-bus';

runBusConformance('embedded', async () => new EmbeddedBus());

describe('embedded bus specifics', () => {
  it('applies backpressure: publish waits for backlog room, then fails with BACKLOG_FULL', async () => {
    const bus = new EmbeddedBus({ maxBacklogPerSubscription: 2, publishTimeoutMs: 50 });
    await bus.subscribe(
      { topic: 't', subscription: 's', type: 'Shared', maxInFlight: 1 },
      () => new Promise(() => {}),
    );
    await bus.publish('t', { payload: Buffer.from('1') });
    await bus.publish('t', { payload: Buffer.from('2') });
    await expect(bus.publish('t', { payload: Buffer.from('3') })).rejects.toMatchObject({
      code: 'BACKLOG_FULL',
    });
    await bus.close();
  });

  it('releases a waiting publish as soon as a message is acked', async () => {
    const bus = new EmbeddedBus({ maxBacklogPerSubscription: 1, publishTimeoutMs: 5_000 });
    const release: Array<() => void> = [];
    await bus.subscribe(
      { topic: 't', subscription: 's', type: 'Shared' },
      () => new Promise<void>((r) => release.push(r)),
    );
    await bus.publish('t', { payload: Buffer.from('1') });
    const second = bus.publish('t', { payload: Buffer.from('2') });
    await new Promise((r) => setTimeout(r, 10));
    release.shift()?.();
    await expect(second).resolves.toMatch(/^embedded:/);
    await bus.close();
  });

  it('admits waiting publishes one per freed slot, in call order, never beyond the bound', async () => {
    const bus = new EmbeddedBus({ maxBacklogPerSubscription: 1, publishTimeoutMs: 5_000 });
    const release: Array<() => void> = [];
    const got: string[] = [];
    await bus.subscribe({ topic: 't', subscription: 's', type: 'Shared', maxInFlight: 1 }, (m) => {
      got.push(Buffer.from(m.payload).toString());
      return new Promise<void>((r) => release.push(r));
    });
    const resolved: string[] = [];
    const publish = (body: string) =>
      bus.publish('t', { payload: Buffer.from(body) }).then(() => void resolved.push(body));
    await publish('m1');
    const waiting = ['m2', 'm3', 'm4'].map(publish);
    await new Promise((r) => setTimeout(r, 10));
    expect(resolved).toEqual(['m1']);
    for (const expected of [
      ['m1', 'm2'],
      ['m1', 'm2', 'm3'],
      ['m1', 'm2', 'm3', 'm4'],
    ]) {
      release.shift()!();
      await new Promise((r) => setTimeout(r, 10));
      // One ack frees one slot: exactly the oldest waiting publish gets in.
      expect(resolved).toEqual(expected);
      const [figures] = await bus.backlog([{ topic: 't', subscription: 's' }]);
      expect(figures!.backlog).toBeLessThanOrEqual(1);
    }
    await Promise.all(waiting);
    release.shift()!();
    expect(got).toEqual(['m1', 'm2', 'm3', 'm4']);
    await bus.close();
  });

  it('fails waiting publishes with BUS_CLOSED when the bus closes', async () => {
    const bus = new EmbeddedBus({ maxBacklogPerSubscription: 1, publishTimeoutMs: 5_000 });
    await bus.subscribe({ topic: 't', subscription: 's', type: 'Shared' }, () => new Promise(() => {}));
    await bus.publish('t', { payload: Buffer.from('1') });
    const waiting = bus.publish('t', { payload: Buffer.from('2') });
    await bus.close();
    await expect(waiting).rejects.toMatchObject({ code: 'BUS_CLOSED' });
  });

  it('keeps a bounded history for earliest subscribers of a topic nobody subscribed to yet', async () => {
    const bus = new EmbeddedBus({ retainWithoutSubscription: 3 });
    for (let i = 0; i < 5; i++) await bus.publish('t', { payload: Buffer.from(String(i)) });
    const got: string[] = [];
    await bus.subscribe(
      { topic: 't', subscription: 's', type: 'Shared', initialPosition: 'earliest' },
      async (m) => {
        got.push(Buffer.from(m.payload).toString());
      },
    );
    await new Promise((r) => setTimeout(r, 20));
    expect(got).toEqual(['2', '3', '4']);
    await bus.close();
  });

  it('rejects publishing on a closed bus', async () => {
    const bus = new EmbeddedBus();
    await bus.close();
    await expect(bus.publish('t', { payload: Buffer.from('x') })).rejects.toMatchObject({
      code: 'BUS_CLOSED',
    });
  });

  it('drops a non-durable subscription with its last consumer', async () => {
    const bus = new EmbeddedBus();
    const sub = await bus.subscribe(
      { topic: 't', subscription: 'tail', type: 'Shared', durable: false },
      async () => {},
    );
    expect(bus.subscriptionNames('t')).toEqual(['tail']);
    await sub.close();
    expect(bus.subscriptionNames('t')).toEqual([]);
    await bus.close();
  });

  it('drops a key from the compacted view on an empty payload (a tombstone), as Pulsar compaction does', async () => {
    const bus = new EmbeddedBus();
    const reader = (name: string, seen: string[]) =>
      bus.subscribe(
        {
          topic: 'c',
          subscription: name,
          type: 'Shared',
          durable: false,
          readCompacted: true,
          initialPosition: 'earliest',
        },
        async (m) => void seen.push(`${m.key}=${Buffer.from(m.payload).toString()}`),
      );
    const first: string[] = [];
    const a = await reader('a', first);
    await bus.publish('c', { key: 'keep', payload: Buffer.from('1') });
    await bus.publish('c', { key: 'gone', payload: Buffer.from('2') });
    await bus.publish('c', { key: 'gone', payload: new Uint8Array() });
    const later: string[] = [];
    const b = await reader('b', later);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(first).toEqual(['keep=1', 'gone=2', 'gone=']); // live readers see the tombstone itself
    expect(later).toEqual(['keep=1']);
    await Promise.all([a.close(), b.close()]);
    await bus.close();
  });
});
