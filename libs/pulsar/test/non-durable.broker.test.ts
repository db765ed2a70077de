import { describe, expect, it } from 'vitest';
import { newAdmin, newClient, receiveN, uniqueTopic } from './helpers';

describe('non-durable subscriptions', () => {
  it('receive what is published while open and leave no subscription behind', async () => {
    const client = newClient();
    const admin = newAdmin();
    const topic = uniqueTopic('nondurable');
    const producer = await client.createProducer({ topic, batching: { enabled: false } });
    await producer.send({ payload: Buffer.from('before') });
    const tail = await client.subscribe({ topic, subscription: 'tail', type: 'Exclusive', durable: false });
    await producer.send({ payload: Buffer.from('after') });
    const [message] = await receiveN(tail, 1);
    expect(message!.payload.toString()).toBe('after');
    expect(await admin.subscriptions(topic)).toContain('tail');
    await tail.close();
    expect(await admin.subscriptions(topic)).not.toContain('tail');
    await producer.close();
    await client.close();
  });

  for (const batched of [false, true]) {
    it(`resume after the last message handed out when the topic moves (${batched ? 'mid-batch' : 'unbatched'})`, async () => {
      const client = newClient();
      const admin = newAdmin();
      const topic = uniqueTopic('nondurable-resume');
      const producer = await client.createProducer({
        topic,
        batching: batched ? { enabled: true, maxMessages: 10, maxDelayMs: 50 } : { enabled: false },
      });
      const tail = await client.subscribe({ topic, subscription: 'tail', type: 'Exclusive', durable: false });
      await Promise.all(Array.from({ length: 10 }, (_, i) => producer.send({ payload: String(i) })));
      // The application has taken 3; the other 7 wait in the client's queue when the topic is unloaded
      // (the broker moves it and drops every connection's subscription to it).
      const first = await receiveN(tail, 3);
      await admin.unloadTopic(topic);
      await producer.send({ payload: '10' });
      const rest = await receiveN(tail, 8);
      expect([...first, ...rest].map((m) => m.payload.toString())).toEqual(
        Array.from({ length: 11 }, (_, i) => String(i)),
      );
    });
  }
});
