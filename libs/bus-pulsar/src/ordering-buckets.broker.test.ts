import { eventually, uniqueName } from '@patternmesh/bus/testing';
import type { BusMessage } from '@patternmesh/bus';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { bucketOf, PulsarBus } from './pulsar-bus';

let bus: PulsarBus | undefined;
afterEach(async () => {
  await bus?.close();
  bus = undefined;
});

/** `ledger:entry:partition[:batchIndex]` without the batch index: the broker entry a message came in. */
const entryOf = (m: BusMessage) => m.id.split(':').slice(0, 3).join(':');

/** The keys of the messages each broker entry carried. */
function keysPerEntry(received: readonly BusMessage[]): Map<string, Set<string>> {
  const keysByEntry = new Map<string, Set<string>>();
  for (const m of received) {
    const keys = keysByEntry.get(entryOf(m)) ?? new Set<string>();
    keys.add(m.key!);
    keysByEntry.set(entryOf(m), keys);
  }
  return keysByEntry;
}

/** Publishes 400 messages over 40 interleaved keys at once (so the producer batches them), returns what arrived. */
async function roundTrip(orderingBuckets: number): Promise<BusMessage[]> {
  bus = PulsarBus.connect({ serviceUrl: inject('pulsarUrl'), orderingBuckets, batchingMaxDelayMs: 20 });
  const topic = uniqueName('persistent://public/default/ordering-buckets');
  const received: BusMessage[] = [];
  await bus.subscribe(
    { topic, subscription: 's', type: 'Key_Shared', initialPosition: 'earliest', maxInFlight: 1000 },
    async (m) => {
      received.push(m);
    },
  );
  await Promise.all(
    Array.from({ length: 400 }, (_, i) =>
      bus!.publish(topic, { key: `tenant/src/entity-${i % 40}`, payload: Buffer.from(String(i)) }),
    ),
  );
  await eventually(() => expect(received).toHaveLength(400));
  return received;
}

describe('ordering buckets on Pulsar', () => {
  it('batch many keys into one entry, each entry within one bucket, each key still in order', async () => {
    const received = await roundTrip(4);
    const keysByEntry = keysPerEntry(received);
    // 40 keys in at most 4 buckets: entries hold several keys (per-key batching would give one each).
    expect(Math.max(...[...keysByEntry.values()].map((k) => k.size))).toBeGreaterThan(1);
    for (const keys of keysByEntry.values()) {
      expect(new Set([...keys].map((k) => bucketOf(k, 4))).size).toBe(1);
    }
    // The message key is the application's, not the bucket, and each key's messages come in order.
    const byKey = new Map<string, number[]>();
    for (const m of received) byKey.set(m.key!, [...(byKey.get(m.key!) ?? []), Number(String(m.payload))]);
    expect(byKey.size).toBe(40);
    for (const [key, values] of byKey) expect(values, key).toEqual([...values].sort((a, b) => a - b));
  });

  it('without buckets, batch per key: no entry holds two keys', async () => {
    const received = await roundTrip(0);
    const keysByEntry = keysPerEntry(received);
    for (const keys of keysByEntry.values()) expect(keys.size).toBe(1);
  });
});
