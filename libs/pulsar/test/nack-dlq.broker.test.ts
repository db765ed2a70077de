import { describe, expect, it } from 'vitest';
import { DeadLetterProperties } from '../src/index';
import { drain, newClient, receiveN, uniqueTopic } from './helpers';

describe('negative acks, redelivery and dead letters', () => {
  it('redelivers a nacked message with an increasing redeliveryCount', async () => {
    const client = newClient();
    const topic = uniqueTopic('nack');
    const consumer = await client.subscribe({
      topic,
      subscription: 'sub',
      type: 'Shared',
      initialPosition: 'earliest',
      nackRedeliveryDelayMs: 100,
    });
    const producer = await client.createProducer({ topic });
    await producer.send({ payload: 'poison', key: 'k' });
    await producer.send({ payload: 'fine' });

    const counts: number[] = [];
    let fine = 0;
    // Until both are seen: on a loaded broker 'fine' can arrive after the poison's third delivery.
    while (counts.length < 3 || fine === 0) {
      const m = await consumer.receive(30_000);
      if (m.payload.toString() === 'fine') {
        fine++;
        await consumer.ack(m);
        continue;
      }
      counts.push(m.redeliveryCount);
      if (counts.length < 3) consumer.nack(m);
      else await consumer.ack(m);
    }
    expect(counts).toEqual([0, 1, 2]);
    expect(fine).toBe(1);
  });

  it('dead-letters after maxRedeliverCount with context properties, then acks the original', async () => {
    const client = newClient();
    const topic = uniqueTopic('dlq');
    const dlqTopic = `${topic}-sub-DLQ`;
    const dlqConsumer = await client.subscribe({
      topic: dlqTopic,
      subscription: 'dlq-reader',
      initialPosition: 'earliest',
    });
    const consumer = await client.subscribe({
      topic,
      subscription: 'sub',
      type: 'Shared',
      initialPosition: 'earliest',
      nackRedeliveryDelayMs: 100,
      deadLetter: { maxRedeliverCount: 2 },
    });
    const producer = await client.createProducer({ topic, batching: { enabled: false } });
    const origId = await producer.send({
      payload: 'poison',
      key: 'the-key',
      properties: { app: 'x' },
      eventTime: 42,
    });

    const seen: number[] = [];
    for (let i = 0; i < 3; i++) {
      const m = await consumer.receive(30_000);
      seen.push(m.redeliveryCount);
      consumer.nack(m, 'cannot parse');
    }
    expect(seen).toEqual([0, 1, 2]);

    const dead = await dlqConsumer.receive(30_000);
    await dlqConsumer.ack(dead);
    expect(dead.payload.toString()).toBe('poison');
    expect(dead.key).toBe('the-key');
    expect(dead.eventTime).toBe(42);
    expect(dead.properties).toMatchObject({
      app: 'x',
      [DeadLetterProperties.REAL_TOPIC]: topic,
      [DeadLetterProperties.ORIGIN_MESSAGE_ID]: origId.toString(),
      [DeadLetterProperties.ORIGIN_SUBSCRIPTION]: 'sub',
      [DeadLetterProperties.DELIVERY_ATTEMPTS]: '3',
      [DeadLetterProperties.REASON]: 'cannot parse',
    });
    // The original was acked: nothing comes back.
    expect(await drain(consumer, 1_500)).toHaveLength(0);
  });

  for (const type of ['Exclusive', 'Failover'] as const) {
    it(`dead-letters on ${type} subscriptions too, counting redeliveries in the client`, async () => {
      // The broker counts redeliveries only on Shared/Key_Shared: without the client's own count a
      // poison message would come back with redeliveryCount 0 forever.
      const client = newClient();
      const topic = uniqueTopic(`dlq-${type.toLowerCase()}`);
      const dlqConsumer = await client.subscribe({
        topic: `${topic}-sub-DLQ`,
        subscription: 'dlq-reader',
        initialPosition: 'earliest',
      });
      const consumer = await client.subscribe({
        topic,
        subscription: 'sub',
        type,
        initialPosition: 'earliest',
        nackRedeliveryDelayMs: 100,
        deadLetter: { maxRedeliverCount: 2 },
      });
      const producer = await client.createProducer({ topic, batching: { enabled: false } });
      await producer.send({ payload: 'poison' });
      await producer.send({ payload: 'fine' });

      const poisonCounts: number[] = [];
      let fine = 0;
      while (poisonCounts.length < 3 || fine === 0) {
        const m = await consumer.receive(30_000);
        if (m.payload.toString() === 'fine') {
          fine++;
          await consumer.ack(m);
          continue;
        }
        poisonCounts.push(m.redeliveryCount);
        consumer.nack(m, 'cannot parse');
      }
      expect(poisonCounts).toEqual([0, 1, 2]);
      const dead = await dlqConsumer.receive(30_000);
      expect(dead.payload.toString()).toBe('poison');
      expect(dead.properties[DeadLetterProperties.DELIVERY_ATTEMPTS]).toBe('3');
      // Dead-lettered and acked: the poison message does not come back.
      expect((await drain(consumer, 1_500)).map((m) => m.payload.toString())).not.toContain('poison');
    });
  }

  it('deadLetter(msg, reason) routes immediately', async () => {
    const client = newClient();
    const topic = uniqueTopic('dlq-now');
    const dlqConsumer = await client.subscribe({
      topic: `${topic}-s-DLQ`,
      subscription: 'r',
      initialPosition: 'earliest',
    });
    const consumer = await client.subscribe({
      topic,
      subscription: 's',
      type: 'Key_Shared',
      initialPosition: 'earliest',
      deadLetter: { maxRedeliverCount: 5 },
    });
    const producer = await client.createProducer({ topic });
    await producer.send({ payload: 'bad', key: 'k1' });
    const m = await consumer.receive(30_000);
    await consumer.deadLetter(m, 'schema violation');
    const dead = await dlqConsumer.receive(30_000);
    expect(dead.properties[DeadLetterProperties.REASON]).toBe('schema violation');
    expect(dead.properties[DeadLetterProperties.DELIVERY_ATTEMPTS]).toBe('1');
  });

  it('reconsumeLater goes through the retry topic with the Java property names, then to the DLQ', async () => {
    const client = newClient();
    const topic = uniqueTopic('retry');
    const dlqConsumer = await client.subscribe({
      topic: `${topic}-sub-DLQ`,
      subscription: 'r',
      initialPosition: 'earliest',
    });
    const consumer = await client.subscribe({
      topic,
      subscription: 'sub',
      type: 'Shared',
      initialPosition: 'earliest',
      deadLetter: { maxRedeliverCount: 2, enableRetry: true },
    });
    const producer = await client.createProducer({ topic });
    const origId = await producer.send({ payload: 'again', properties: { a: '1' } });

    const first = await consumer.receive(30_000);
    expect(first.topic).toBe(topic);
    await consumer.reconsumeLater(first, 200, 'busy');
    const second = await consumer.receive(30_000);
    expect(second.topic).toBe(`${topic}-sub-RETRY`);
    expect(second.payload.toString()).toBe('again');
    expect(second.properties).toMatchObject({
      a: '1',
      REAL_TOPIC: topic,
      ORIGIN_MESSAGE_ID: origId.toString(),
      RECONSUMETIMES: '1',
      DELAY_TIME: '200',
      REASON: 'busy',
    });
    await consumer.reconsumeLater(second, 100);
    const third = await consumer.receive(30_000);
    expect(third.properties.RECONSUMETIMES).toBe('2');
    await consumer.reconsumeLater(third, 100, 'give up');
    const dead = await dlqConsumer.receive(30_000);
    expect(dead.properties).toMatchObject({
      REAL_TOPIC: topic,
      ORIGIN_MESSAGE_ID: origId.toString(),
      RECONSUMETIMES: '3',
      REASON: 'give up',
    });
  });

  it('on Exclusive subscriptions a nack redelivers everything unacked, in order', async () => {
    const client = newClient();
    const topic = uniqueTopic('nack-excl');
    const consumer = await client.subscribe({
      topic,
      subscription: 'sub',
      type: 'Exclusive',
      initialPosition: 'earliest',
      nackRedeliveryDelayMs: 100,
    });
    const producer = await client.createProducer({ topic, batching: { enabled: false } });
    for (let i = 0; i < 5; i++) await producer.send({ payload: String(i) });
    const first = await receiveN(consumer, 2, { ack: false });
    await consumer.ack(first[0]!);
    consumer.nack(first[1]!);
    // Messages already prefetched may still be handed out before the nack delay expires; none is acked.
    const before: string[] = [];
    for (;;) {
      const m = await consumer.receive(30_000);
      // (The broker tracks redelivery counts only for Shared/Key_Shared, so it stays 0 here.)
      if (m.payload.toString() === '1') break;
      before.push(m.payload.toString());
    }
    expect(['2', '3', '4'].slice(0, before.length)).toEqual(before);
    // After the redelivery point everything unacked comes back in order.
    const rest = await receiveN(consumer, 3);
    expect(rest.map((m) => m.payload.toString())).toEqual(['2', '3', '4']);
    expect(await drain(consumer, 1_000)).toHaveLength(0);
  });

  it('batch messages: acked siblings are not redelivered when one is nacked', async () => {
    const client = newClient();
    const topic = uniqueTopic('nack-batch');
    const consumer = await client.subscribe({
      topic,
      subscription: 'sub',
      type: 'Shared',
      initialPosition: 'earliest',
      nackRedeliveryDelayMs: 100,
    });
    const producer = await client.createProducer({ topic, batching: { maxDelayMs: 50 } });
    const ids = await Promise.all(Array.from({ length: 5 }, (_, i) => producer.send({ payload: String(i) })));
    expect(new Set(ids.map((id) => id.entryId)).size).toBe(1);
    const got = await receiveN(consumer, 5, { ack: false });
    for (const m of got) {
      if (m.payload.toString() === '2') consumer.nack(m);
      else await consumer.ack(m);
    }
    const again = await consumer.receive(30_000);
    expect(again.payload.toString()).toBe('2');
    expect(again.redeliveryCount).toBe(1);
    await consumer.ack(again);
    expect(await drain(consumer, 1_000)).toHaveLength(0);
  });
});
