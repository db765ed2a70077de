import { describe, expect, it } from 'vitest';
import type { CompressionName } from '../src/index';
import type { MessageId } from '../src/index';
import { newAdmin, newClient, receiveN, uniqueTopic } from './helpers';

describe('produce / consume round trip', () => {
  it('delivers payload, key, properties, event time and ids (unbatched)', async () => {
    const client = newClient();
    const topic = uniqueTopic('rt');
    const consumer = await client.subscribe({ topic, subscription: 'sub', initialPosition: 'earliest' });
    const producer = await client.createProducer({ topic, batching: { enabled: false } });
    const sent: MessageId[] = [];
    for (let i = 0; i < 5; i++) {
      sent.push(
        await producer.send({
          payload: Buffer.from(`msg-${i}`),
          key: `k${i}`,
          properties: { n: String(i), ü: '✓' },
          eventTime: 1_000 + i,
        }),
      );
    }
    expect(new Set(sent.map(String)).size).toBe(5);
    expect(sent.every((id) => id.batchIndex === -1)).toBe(true);

    const got = await receiveN(consumer, 5);
    got.forEach((m, i) => {
      expect(m.payload.toString()).toBe(`msg-${i}`);
      expect(m.key).toBe(`k${i}`);
      expect(m.properties).toEqual({ n: String(i), ü: '✓' });
      expect(m.eventTime).toBe(1_000 + i);
      expect(m.redeliveryCount).toBe(0);
      expect(m.topic).toBe(topic);
      expect(m.producerName).toBe(producer.producerName);
      expect(m.id.equals(sent[i]!)).toBe(true);
      expect(m.publishTime).toBeGreaterThan(0);
    });
    expect(got.map((m) => m.sequenceId)).toEqual([0, 1, 2, 3, 4]);
  });

  it('batches by count and delay: ids share entries, order is kept', async () => {
    const client = newClient();
    const topic = uniqueTopic('batch');
    const consumer = await client.subscribe({ topic, subscription: 'sub', initialPosition: 'earliest' });
    const producer = await client.createProducer({ topic, batching: { maxMessages: 50, maxDelayMs: 50 } });
    const n = 230;
    const ids = await Promise.all(
      Array.from({ length: n }, (_, i) =>
        producer.send({ payload: Buffer.from(String(i)), properties: { i: String(i) } }),
      ),
    );
    const entries = new Set(ids.map((id) => `${id.ledgerId}:${id.entryId}`));
    expect(entries.size).toBeLessThan(n);
    expect(entries.size).toBeGreaterThanOrEqual(Math.ceil(n / 50));
    expect(ids.every((id) => id.batchIndex >= 0 && id.batchSize > 0)).toBe(true);

    const got = await receiveN(consumer, n);
    expect(got.map((m) => m.payload.toString())).toEqual(Array.from({ length: n }, (_, i) => String(i)));
    expect(got.map((m) => m.properties.i)).toEqual(Array.from({ length: n }, (_, i) => String(i)));
    got.forEach((m, i) => expect(m.id.equals(ids[i]!)).toBe(true));

    // Everything was acked at entry level: the subscription has no backlog.
    await consumer.close();
    const stats = await newAdmin().topicStats(topic);
    expect(stats.subscriptions.sub?.msgBacklog).toBe(0);
  });

  it('splits batches by bytes', async () => {
    const client = newClient();
    const topic = uniqueTopic('batch-bytes');
    const consumer = await client.subscribe({ topic, subscription: 'sub', initialPosition: 'earliest' });
    const producer = await client.createProducer({ topic, batching: { maxBytes: 4096, maxDelayMs: 100 } });
    const ids = await Promise.all(
      Array.from({ length: 20 }, (_, i) => producer.send({ payload: Buffer.alloc(1000, i) })),
    );
    expect(new Set(ids.map((id) => id.entryId)).size).toBeGreaterThanOrEqual(5);
    const got = await receiveN(consumer, 20);
    got.forEach((m, i) => expect(m.payload.equals(Buffer.alloc(1000, i))).toBe(true));
  });

  const codecs: CompressionName[] = ['none', 'zlib', 'lz4', 'zstd', 'snappy'];
  for (const compression of codecs) {
    it(`writes and reads back ${compression} (batched and single)`, async () => {
      const client = newClient();
      const topic = uniqueTopic(`codec-${compression}`);
      const consumer = await client.subscribe({ topic, subscription: 'sub', initialPosition: 'earliest' });
      const batched = await client.createProducer({ topic, compression, batching: { maxDelayMs: 20 } });
      const single = await client.createProducer({ topic, compression, batching: { enabled: false } });
      const text = (i: number) => `${compression} payload ${i} `.repeat(50 + i);
      await Promise.all(Array.from({ length: 30 }, (_, i) => batched.send({ payload: text(i) })));
      await single.send({ payload: text(99) });
      const got = await receiveN(consumer, 31);
      expect(got.map((m) => m.payload.toString())).toEqual([
        ...Array.from({ length: 30 }, (_, i) => text(i)),
        text(99),
      ]);
      const stats = await newAdmin().topicStats(topic);
      if (compression !== 'none')
        expect(stats.storageSize).toBeLessThan(got.reduce((s, m) => s + m.payload.length, 0));
    });
  }

  it('a named producer that comes back keeps its name; without de-duplication it numbers from 0 again', async () => {
    // With broker de-duplication the broker remembers the last sequence id and the producer resumes
    // after it: dedup-reconnect.broker.test.ts. Here the namespace has none, so the broker reports
    // nothing to resume from, and the client must not invent a number.
    const client = newClient();
    const topic = uniqueTopic('seq');
    const consumer = await client.subscribe({ topic, subscription: 'sub', initialPosition: 'earliest' });
    const p1 = await client.createProducer({
      topic,
      producerName: 'fixed-name',
      batching: { enabled: false },
    });
    await p1.send({ payload: 'a' });
    await p1.send({ payload: 'b' });
    await p1.close();
    const p2 = await client.createProducer({
      topic,
      producerName: 'fixed-name',
      batching: { enabled: false },
    });
    expect(p2.producerName).toBe('fixed-name');
    await p2.send({ payload: 'c' });
    const got = await receiveN(consumer, 3);
    expect(got.map((m) => [m.payload.toString(), m.producerName, m.sequenceId])).toEqual([
      ['a', 'fixed-name', 0],
      ['b', 'fixed-name', 1],
      ['c', 'fixed-name', 0],
    ]);
  });

  it('supports the async iterator and stops it on close', async () => {
    const client = newClient();
    const topic = uniqueTopic('iter');
    const consumer = await client.subscribe({
      topic,
      subscription: 'sub',
      initialPosition: 'earliest',
      receiverQueueSize: 4,
    });
    const producer = await client.createProducer({ topic });
    await Promise.all(Array.from({ length: 20 }, (_, i) => producer.send({ payload: String(i) })));
    const seen: string[] = [];
    for await (const m of consumer) {
      seen.push(m.payload.toString());
      await consumer.ack(m);
      if (seen.length === 20) void consumer.close();
    }
    expect(seen).toEqual(Array.from({ length: 20 }, (_, i) => String(i)));
  });

  it('applies backpressure: send() waits while maxPendingMessages are in flight', async () => {
    const client = newClient();
    const topic = uniqueTopic('bp');
    const producer = await client.createProducer({
      topic,
      maxPendingMessages: 5,
      batching: { enabled: false },
    });
    let maxPending = 0;
    const sends = Array.from({ length: 50 }, (_, i) => {
      const p = producer.send({ payload: String(i) });
      maxPending = Math.max(maxPending, producer.pendingCount);
      return p;
    });
    const ids = await Promise.all(sends);
    expect(maxPending).toBeLessThanOrEqual(5);
    for (let i = 1; i < ids.length; i++) expect(ids[i]!.compareTo(ids[i - 1]!)).toBeGreaterThan(0);
  });

  it('rejects ackCumulative on Shared subscriptions but allows it on Exclusive', async () => {
    const client = newClient();
    const topic = uniqueTopic('cumulative');
    const producer = await client.createProducer({ topic, batching: { enabled: false } });
    const shared = await client.subscribe({
      topic,
      subscription: 'shared',
      type: 'Shared',
      initialPosition: 'earliest',
    });
    const excl = await client.subscribe({
      topic,
      subscription: 'excl',
      type: 'Exclusive',
      initialPosition: 'earliest',
    });
    for (let i = 0; i < 10; i++) await producer.send({ payload: String(i) });
    const m = await shared.receive(30_000);
    await expect(shared.ackCumulative(m)).rejects.toMatchObject({ code: 'PULSAR_NOT_ALLOWED' });
    const got = await receiveN(excl, 10, { ack: false });
    await excl.ackCumulative(got[9]!);
    await excl.close();
    const stats = await newAdmin().topicStats(topic);
    expect(stats.subscriptions.excl?.msgBacklog).toBe(0);
  });

  it('fails fast on an Exclusive subscription that is already taken, and on a producer name in use', async () => {
    const client = newClient();
    const topic = uniqueTopic('busy');
    await client.subscribe({ topic, subscription: 'only-one', type: 'Exclusive' });
    await expect(
      client.subscribe({ topic, subscription: 'only-one', type: 'Exclusive' }),
    ).rejects.toMatchObject({
      code: 'PULSAR_CONSUMER_BUSY',
    });
    await client.createProducer({ topic, producerName: 'unique-name' });
    await expect(client.createProducer({ topic, producerName: 'unique-name' })).rejects.toMatchObject({
      code: 'PULSAR_PRODUCER_BUSY',
    });
  });
});
