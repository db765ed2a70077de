import { describe, expect, it } from 'vitest';
import { newAdmin, newClient, uniqueTopic } from './helpers';

/** The subscription's backlog as the broker counts it (unacknowledged messages). */
async function backlog(topic: string, subscription: string): Promise<number> {
  const stats = (await newAdmin().topicStats(topic)) as {
    subscriptions: Record<string, { msgBacklog: number }>;
  };
  return stats.subscriptions[subscription]!.msgBacklog;
}

describe('ack receipts', () => {
  it('resolve ack() only once the broker has the acknowledgement, across a topic unload', async () => {
    const client = newClient();
    const topic = uniqueTopic('ack-receipts');
    const consumer = await client.subscribe({
      topic,
      subscription: 's',
      initialPosition: 'earliest',
      ackReceipts: true,
      ackGroupingMs: 300,
    });
    const producer = await client.createProducer({ topic, batching: { enabled: false } });
    for (const payload of ['a', 'b']) await producer.send({ payload });

    const first = await consumer.receive(30_000);
    await consumer.ack(first);
    // Resolved means recorded: no waiting for a grouping window or a flush.
    expect(await backlog(topic, 's')).toBe(1);

    const second = await consumer.receive(30_000);
    const acked = consumer.ack(second);
    // The ack is still grouped when the topic moves; it goes out on the next session and only then resolves.
    await newAdmin().unloadTopic(topic);
    await acked;
    expect(await backlog(topic, 's')).toBe(0);
  });

  it('resolve a cumulative ack once the broker moved the cursor', async () => {
    const client = newClient();
    const topic = uniqueTopic('ack-receipts-cumulative');
    const consumer = await client.subscribe({
      topic,
      subscription: 's',
      initialPosition: 'earliest',
      ackReceipts: true,
    });
    const producer = await client.createProducer({ topic, batching: { enabled: false } });
    for (const payload of ['a', 'b', 'c']) await producer.send({ payload });
    let last;
    for (let i = 0; i < 3; i++) last = await consumer.receive(30_000);
    await consumer.ackCumulative(last!);
    expect(await backlog(topic, 's')).toBe(0);
  });
});
