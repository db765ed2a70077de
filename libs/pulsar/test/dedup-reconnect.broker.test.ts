import { describe, expect, it } from 'vitest';
import type { MessageId } from '../src/index';
import { drain, newAdmin, newClient, receiveN, uniqueTopic } from './helpers';

describe('broker-initiated close and de-duplication', () => {
  it('survives topic unloads (CLOSE_PRODUCER / CLOSE_CONSUMER) mid-stream without losing messages', async () => {
    const admin = newAdmin();
    const topic = uniqueTopic('unload');
    const client = newClient();
    const consumer = await client.subscribe({
      topic,
      subscription: 'sub',
      initialPosition: 'earliest',
      receiverQueueSize: 50,
    });
    const producer = await client.createProducer({ topic, batching: { maxDelayMs: 5, maxMessages: 20 } });
    const total = 2000;
    const sends: Promise<MessageId>[] = [];
    for (let i = 0; i < total; i++) {
      sends.push(producer.send({ payload: String(i) }));
      if (i === 500 || i === 1200) await admin.unloadTopic(topic);
    }
    await Promise.all(sends);

    const seen = new Set<string>();
    let last = -1;
    let outOfOrder = 0;
    while (seen.size < total) {
      const m = await consumer.receive(30_000);
      const v = Number(m.payload.toString());
      if (!seen.has(String(v)) && v < last) outOfOrder++;
      seen.add(String(v));
      last = Math.max(last, v);
      await consumer.ack(m);
    }
    expect(seen.size).toBe(total);
    expect(outOfOrder).toBe(0);
  });

  // Key-based: interleaved keys sit in open per-key batches, which leave in another order than sent, so
  // this is where numbering on send() would hand the broker overlapping id ranges that it drops.
  for (const keyBased of [false, true]) {
    it(`with namespace de-duplication, a reconnecting producer re-sends its queue without duplicates${keyBased ? ' (key-based batching, interleaved keys)' : ''}`, async () => {
      const admin = newAdmin();
      const tenant = 'public';
      const ns = `${tenant}/dedup-${Date.now().toString(36)}${keyBased ? '-k' : ''}`;
      await admin.createNamespace(ns);
      await admin.setNamespaceDeduplication(ns, true);
      const topic = uniqueTopic('dedup', ns);
      const client = newClient();
      const consumer = await client.subscribe({ topic, subscription: 'sub', initialPosition: 'earliest' });
      const producer = await client.createProducer({
        topic,
        batching: { maxDelayMs: 5, maxMessages: 25, keyBased },
      });
      const keys = 7;
      const total = 1500;
      const sends: Promise<MessageId>[] = [];
      for (let i = 0; i < total; i++) {
        sends.push(producer.send({ payload: String(i), key: `k${i % keys}` }));
        if (i % 400 === 399) await admin.unloadTopic(topic);
      }
      await Promise.all(sends);

      const got = (await receiveN(consumer, total)).map((m) => Number(m.payload.toString()));
      if (keyBased) {
        // Every message once; in send order per key (keys interleave differently from send order).
        expect([...got].sort((a, b) => a - b)).toEqual(Array.from({ length: total }, (_, i) => i));
        for (let k = 0; k < keys; k++) {
          const ofKey = got.filter((v) => v % keys === k);
          expect(ofKey).toEqual([...ofKey].sort((a, b) => a - b));
        }
      } else expect(got).toEqual(Array.from({ length: total }, (_, i) => i));
      expect(await drain(consumer, 1_500)).toHaveLength(0);

      const stats = await admin.topicStats(topic);
      expect(stats.deduplicationStatus).toBe('Enabled');

      // A new producer with the same name resumes after the last persisted sequence id.
      const name = producer.producerName;
      await producer.close();
      const again = await client.createProducer({ topic, producerName: name, batching: { enabled: false } });
      await again.send({ payload: 'after' });
      const m = await consumer.receive(30_000);
      expect(m.payload.toString()).toBe('after');
      expect(m.sequenceId).toBe(total);
      // Re-sending an old sequence id is dropped by the broker.
      await again.send({ payload: 'dup', sequenceId: 3 });
      expect(await drain(consumer, 1_500)).toHaveLength(0);
    });
  }
});
