import { describe, expect, it } from 'vitest';
import { newAdmin, newClient, receiveN, uniqueTopic } from './helpers';

describe('terminated topics', () => {
  it('fail producers with TOPIC_TERMINATED and end consumers once they have read everything', async () => {
    const client = newClient();
    const admin = newAdmin();
    const topic = uniqueTopic('terminated');
    const consumer = await client.subscribe({ topic, subscription: 's', initialPosition: 'earliest' });
    const producer = await client.createProducer({ topic, batching: { enabled: false } });
    for (let i = 0; i < 3; i++) await producer.send({ payload: String(i) });
    await admin.terminateTopic(topic);

    await expect(producer.send({ payload: 'too late' })).rejects.toMatchObject({
      code: 'PULSAR_TOPIC_TERMINATED',
    });
    // Everything published before the end is delivered; then the consumer says the stream is over
    // instead of waiting forever.
    const read = await receiveN(consumer, 3);
    expect(read.map((m) => m.payload.toString())).toEqual(['0', '1', '2']);
    await expect(consumer.receive(30_000)).rejects.toMatchObject({ code: 'PULSAR_END_OF_TOPIC' });
    expect(consumer.hasReachedEndOfTopic()).toBe(true);
  });
});
