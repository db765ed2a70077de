import { describe, expect, it } from 'vitest';
import { MessageId, partitionTopic } from '../src/index';
import { drain, newAdmin, newClient, receiveN, uniqueTopic } from './helpers';

describe('seek on a durable subscription', () => {
  async function setUp(prefix: string) {
    const topic = uniqueTopic(prefix);
    const client = newClient();
    const consumer = await client.subscribe({ topic, subscription: 'sub', initialPosition: 'earliest' });
    const producer = await client.createProducer({ topic, batching: { enabled: false } });
    const ids: MessageId[] = [];
    for (let i = 0; i < 6; i++) {
      ids.push(await producer.send({ payload: `m${i}` }));
      await new Promise((r) => setTimeout(r, 5)); // distinct publish times
    }
    // Everything received and acknowledged: the subscription's position is the end of the topic.
    const all = await receiveN(consumer, 6);
    return { consumer, ids, all };
  }

  it('by id: the messages from the target on are delivered again, none before', async () => {
    const { consumer, ids } = await setUp('seek-id');
    await consumer.seek(ids[3]!);
    const again = await drain(consumer, 1_500);
    expect(again.map((m) => m.payload.toString())).toEqual(['m3', 'm4', 'm5']);
  });

  it('by time: the messages published at or after it are delivered again, none before', async () => {
    const { consumer, all } = await setUp('seek-time');
    await consumer.seek(all[2]!.publishTime);
    const again = await drain(consumer, 1_500);
    expect(again.map((m) => m.payload.toString())).toEqual(['m2', 'm3', 'm4', 'm5']);
  });

  it('drops what was queued before it', async () => {
    const { consumer, ids } = await setUp('seek-queue');
    await consumer.seek(ids[0]!);
    // Fill the queue from the start, read one, then seek forward: the rest of the queue is stale.
    await new Promise((r) => setTimeout(r, 500));
    expect((await consumer.receive(10_000)).payload.toString()).toBe('m0');
    await consumer.seek(ids[4]!);
    const after = await drain(consumer, 1_500);
    expect(after.map((m) => m.payload.toString())).toEqual(['m4', 'm5']);
  });
});

describe('seek and batches', () => {
  it('delivers a partly acknowledged batch again whole after seeking back over it', async () => {
    const topic = uniqueTopic('seek-batch');
    const client = newClient();
    const consumer = await client.subscribe({ topic, subscription: 'sub', initialPosition: 'earliest' });
    const producer = await client.createProducer({ topic, batching: { maxMessages: 3, maxDelayMs: 100 } });
    await Promise.all(['b0', 'b1', 'b2'].map((payload) => producer.send({ payload })));
    const batch = await receiveN(consumer, 3, { ack: false });
    await consumer.ack(batch[0]!);
    await consumer.ack(batch[1]!);
    await consumer.seek(MessageId.earliest);
    const again = await drain(consumer, 1_500);
    expect(again.map((m) => m.payload.toString())).toEqual(['b0', 'b1', 'b2']);
  });
});

describe('getLastMessageIds', () => {
  it('gives the last message id of every partition of a partitioned topic', async () => {
    const topic = uniqueTopic('last-id');
    await newAdmin().createPartitionedTopic(topic, 3);
    const client = newClient();
    const consumer = await client.subscribe({ topic, subscription: 'sub' });
    const producer = await client.createProducer({ topic, batching: { enabled: false } });
    const sent: MessageId[] = [];
    // Keys that hash (JavaStringHash) to partitions 1 and 2 only: partition 0 stays empty.
    for (const key of ['a', 'b', 'a', 'b', 'a']) sent.push(await producer.send({ key, payload: key }));
    const last = await consumer.getLastMessageIds();
    expect([...last.keys()].sort()).toEqual([0, 1, 2].map((i) => partitionTopic(topic, i)));
    for (const [name, id] of last) {
      const p = Number(name.slice(name.lastIndexOf('-') + 1));
      const mine = sent.filter((s) => s.partition === p);
      const expected = mine[mine.length - 1];
      if (expected === undefined) expect(id.entryId).toBe(-1);
      else expect([id.ledgerId, id.entryId, id.partition]).toEqual([expected.ledgerId, expected.entryId, p]);
    }
    expect(new Set(sent.map((s) => s.partition)).size).toBe(2);
    await expect(consumer.getLastMessageId()).rejects.toMatchObject({ code: 'PULSAR_INVALID_ARGUMENT' });
  });
});
