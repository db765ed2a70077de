import { describe, expect, it } from 'vitest';
import { partitionForKey, partitionTopic } from '../src/index';
import { newAdmin, newClient, perfRecordsSent, receiveN, runPerf, uniqueTopic } from './helpers';

describe('partitioned topics', () => {
  it('routes keys by JavaStringHash, spreads keyless messages, and consumes all partitions merged', async () => {
    const admin = newAdmin();
    const topic = uniqueTopic('part');
    const n = 4;
    await admin.createPartitionedTopic(topic, n);
    expect(await admin.getPartitionedMetadata(topic)).toMatchObject({ partitions: n });

    const client = newClient();
    expect(await client.getPartitionsForTopic(topic)).toEqual(
      Array.from({ length: n }, (_, i) => partitionTopic(topic, i)),
    );
    const consumer = await client.subscribe({
      topic,
      subscription: 'sub',
      initialPosition: 'earliest',
      type: 'Shared',
    });
    const producer = await client.createProducer({ topic, batching: { maxDelayMs: 5 } });
    expect(producer.numPartitions).toBe(n);

    const keys = Array.from({ length: 40 }, (_, i) => `user-${i}`);
    const keyed = await Promise.all(keys.map((key) => producer.send({ key, payload: key })));
    keyed.forEach((id, i) => expect(id.partition).toBe(partitionForKey(keys[i]!, n)));
    const keyless = await Promise.all(
      Array.from({ length: 400 }, (_, i) => producer.send({ payload: `nokey-${i}` })),
    );
    expect(new Set(keyless.map((id) => id.partition)).size).toBe(n);

    const got = await receiveN(consumer, keys.length + 400);
    for (const m of got) {
      if (m.key !== undefined) {
        expect(m.topic).toBe(partitionTopic(topic, partitionForKey(m.key, n)));
        expect(m.id.partition).toBe(partitionForKey(m.key, n));
      }
    }
    expect(new Set(got.map((m) => m.payload.toString())).size).toBe(keys.length + 400);

    const stats = await admin.partitionedTopicStats(topic);
    expect(stats.metadata.partitions).toBe(n);
    expect(stats.msgInCounter).toBe(keys.length + 400);
  });

  it('keeps per-key order within a partition', async () => {
    const admin = newAdmin();
    const topic = uniqueTopic('part-order');
    await admin.createPartitionedTopic(topic, 3);
    const client = newClient();
    const consumer = await client.subscribe({ topic, subscription: 'sub', initialPosition: 'earliest' });
    const producer = await client.createProducer({ topic, batching: { maxDelayMs: 5 } });
    const sends = [];
    for (let i = 0; i < 300; i++) sends.push(producer.send({ key: `k${i % 7}`, payload: String(i) }));
    await Promise.all(sends);
    const got = await receiveN(consumer, 300);
    const last = new Map<string, number>();
    for (const m of got) {
      const v = Number(m.payload.toString());
      expect(v).toBeGreaterThan(last.get(m.key!) ?? -1);
      last.set(m.key!, v);
    }
  });

  it('puts a key on the partition the Java client chooses for it', async () => {
    // Producers in other languages must agree with ours, or one key's patterns split across
    // partitions and lose their order. The Java client (pulsar-perf, keys "0", "1", …) is the reference.
    const admin = newAdmin();
    const topic = uniqueTopic('part-java');
    const n = 4;
    await admin.createPartitionedTopic(topic, n);
    const client = newClient();
    const consumer = await client.subscribe({ topic, subscription: 'sub', initialPosition: 'earliest' });
    const perf = await runPerf([
      'produce',
      '-m',
      '200',
      '-r',
      '500',
      '--message-key-generation-mode',
      'autoIncrement',
      topic,
    ]);
    expect(perf.code, perf.output.slice(-2000)).toBe(0);
    const got = await receiveN(consumer, perfRecordsSent(perf.output)!);
    const used = new Set<number>();
    for (const m of got) {
      expect(m.key).toMatch(/^\d+$/);
      expect(m.id.partition, `key ${m.key}`).toBe(partitionForKey(m.key!, n));
      used.add(m.id.partition);
    }
    expect(used.size).toBe(n);
  });

  it('uses partitions added while producing and consuming, losing nothing', async () => {
    const admin = newAdmin();
    const topic = uniqueTopic('part-grow');
    await admin.createPartitionedTopic(topic, 2);
    const client = newClient({ partitionDiscoveryIntervalMs: 300 });
    // A consumer from 'latest': the new partitions must still be read from their first message.
    const consumer = await client.subscribe({ topic, subscription: 'sub', type: 'Shared' });
    const producer = await client.createProducer({ topic, batching: { maxDelayMs: 5 } });

    // Keep producing (keyless, spread round-robin) while the topic grows from 2 to 4 partitions.
    let sent = 0;
    let producing = true;
    const partitionsUsed = new Set<number>();
    const load = (async () => {
      while (producing) {
        const ids = await Promise.all(
          Array.from({ length: 20 }, () => producer.send({ payload: `m-${sent++}` })),
        );
        for (const id of ids) partitionsUsed.add(id.partition);
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    await new Promise((r) => setTimeout(r, 300));
    await admin.updatePartitionedTopic(topic, 4);
    const deadline = Date.now() + 30_000;
    while ((!partitionsUsed.has(2) || !partitionsUsed.has(3)) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    producing = false;
    await load;
    expect(producer.numPartitions).toBe(4);
    expect([...partitionsUsed].sort()).toEqual([0, 1, 2, 3]);

    // Every message, from the old partitions and the new ones, reaches the consumer exactly once.
    const got = await receiveN(consumer, sent);
    expect(new Set(got.map((m) => m.payload.toString())).size).toBe(sent);
    expect(new Set(got.map((m) => m.id.partition))).toEqual(new Set([0, 1, 2, 3]));
  });
});
