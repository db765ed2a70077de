/**
 * Producer chunking against the real broker: messages larger than a frame may be are split into chunk
 * entries, which our consumer and the Java client (pulsar-perf) both reassemble into the original; and
 * what the Java client chunked, our consumer reassembles.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { newAdmin, newClient, receiveN, runPerf, uniqueTopic } from './helpers';

describe('producer chunking', () => {
  it('splits large messages into entries that a consumer gets back whole, in order with the small ones', async () => {
    const client = newClient();
    const topic = uniqueTopic('chunked');
    const consumer = await client.subscribe({ topic, subscription: 's', initialPosition: 'earliest' });
    const producer = await client.createProducer({
      topic,
      chunking: true,
      chunkMaxBytes: 16 * 1024,
      compression: 'lz4',
    });
    const big = randomBytes(100 * 1024); // incompressible: ~7 chunks even after LZ4
    const bigger = Buffer.concat([randomBytes(150 * 1024), Buffer.alloc(200 * 1024, 7)]);
    const sent = [Buffer.from('small a'), big, Buffer.from('small b'), bigger];
    const ids = await Promise.all(sent.map((payload) => producer.send({ payload })));
    expect(ids[1]!.chunkEntries!.length).toBeGreaterThanOrEqual(6);

    const got = await receiveN(consumer, 4);
    expect(got.map((m) => Buffer.compare(m.payload, sent[got.indexOf(m)]!))).toEqual([0, 0, 0, 0]);
    // The consumer's id of a reassembled message names the same entries as the producer's.
    expect(got[1]!.id.toString()).toBe(ids[1]!.toString());
    // Acking the reassembled messages acks every chunk entry: nothing is left behind.
    await consumer.close();
    const stats = (await newAdmin().topicStats(topic)) as {
      subscriptions: Record<string, { msgBacklog: number }>;
    };
    expect(stats.subscriptions.s!.msgBacklog).toBe(0);
  });

  it('fails a too-large message without chunking, and sends it with chunking on', async () => {
    const client = newClient();
    const topic = uniqueTopic('chunked-limit');
    const payload = randomBytes(6 * 1024 * 1024); // above the broker's 5 MiB max message size
    const plain = await client.createProducer({ topic });
    await expect(plain.send({ payload })).rejects.toMatchObject({ code: 'PULSAR_MESSAGE_TOO_LARGE' });
    const consumer = await client.subscribe({ topic, subscription: 's', initialPosition: 'earliest' });
    const chunking = await client.createProducer({ topic, chunking: true });
    const id = await chunking.send({ payload });
    expect(id.chunkEntries).toHaveLength(1); // two frames of at most 5 MiB
    const [m] = await receiveN(consumer, 1);
    expect(Buffer.compare(m!.payload, payload)).toBe(0);
  });

  it('are reassembled by the Java client', async () => {
    const client = newClient();
    const topic = uniqueTopic('chunked-java');
    const producer = await client.createProducer({ topic, chunking: true, chunkMaxBytes: 8 * 1024 });
    // The Java consumer's subscription exists before anything is published, so it reads it all.
    await newAdmin().createSubscription(topic, 'java', 'earliest');
    for (let i = 0; i < 3; i++) await producer.send({ payload: randomBytes(40 * 1024) });
    const { code, output } = await runPerf(['consume', '-ss', 'java', '-m', '3', '-time', '60', topic]);
    expect(code, output).toBe(0);
    // Three messages, not the fifteen-odd chunk entries they were stored as.
    const received = /Aggregated throughput stats --- (\d+) records received/.exec(output)?.[1];
    expect(Number(received), output).toBe(3);
  }, 90_000);

  it('reassembles what the Java client chunked', async () => {
    const client = newClient();
    const topic = uniqueTopic('chunked-from-java');
    const consumer = await client.subscribe({ topic, subscription: 's', initialPosition: 'earliest' });
    // 6 MB messages, above the broker's 5 MiB: pulsar-perf splits each into two chunks.
    const { code, output } = await runPerf([
      'produce',
      '-ch',
      '-db',
      '-s',
      '6000000',
      '-m',
      '2',
      '-r',
      '1',
      topic,
    ]);
    expect(code, output).toBe(0);
    const got = await receiveN(consumer, 2, { timeoutMs: 60_000 });
    expect(got.map((m) => m.payload.length)).toEqual([6_000_000, 6_000_000]);
    expect(got.every((m) => m.id.chunkEntries?.length === 1)).toBe(true);
  }, 120_000);
});
