import { describe, expect, it } from 'vitest';
import { drain, newClient, receiveN, uniqueTopic } from './helpers';

describe('Failover subscription', () => {
  it('delivers to one active consumer and fails over when it closes', async () => {
    const client = newClient();
    const topic = uniqueTopic('failover');
    const opts = {
      topic,
      subscription: 'fo',
      type: 'Failover' as const,
      initialPosition: 'earliest' as const,
    };
    const first = await client.subscribe({ ...opts, consumerName: 'a' });
    const second = await client.subscribe({ ...opts, consumerName: 'b' });
    const producer = await client.createProducer({ topic, batching: { enabled: false } });
    for (let i = 0; i < 20; i++) await producer.send({ payload: String(i) });

    // Exactly one of them is active and gets everything, in order.
    const a = await drain(first, 1_000);
    const b = await drain(second, 1_000);
    const [active, standby] = a.length > 0 ? [first, second] : [second, first];
    expect([a.length, b.length].sort((x, y) => x - y)).toEqual([0, 20]);
    expect((a.length ? a : b).map((m) => m.payload.toString())).toEqual(
      Array.from({ length: 20 }, (_, i) => String(i)),
    );

    for (let i = 20; i < 30; i++) await producer.send({ payload: String(i) });
    const fromActive = await receiveN(active, 5);
    await active.close();
    const rest = await receiveN(standby, 5);
    expect([...fromActive, ...rest].map((m) => m.payload.toString())).toEqual(
      Array.from({ length: 10 }, (_, i) => String(20 + i)),
    );
  });
});
