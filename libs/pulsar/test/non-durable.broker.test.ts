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
});
