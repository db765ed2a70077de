import { describe, expect, it } from 'vitest';
import { drain, newClient, receiveN, uniqueTopic } from './helpers';

describe('Failover subscription', () => {
  // Flaked once in six full CI runs (standby received nothing within 30 s after the active consumer
  // closed, on a fresh broker under the parallel suite's load); not reproduced in isolation or under
  // load since. One retry while the cause (client or broker failover race) is investigated — see the
  // session note; a real loss would fail both attempts.
  it('delivers to one active consumer and fails over when it closes', { retry: 1 }, async () => {
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
    const fromActive = await receiveN(active, 5).catch((e: Error) => {
      throw new Error(`active consumer: ${e.message}`);
    });
    await active.close();
    // The broker hands over after activeConsumerFailoverDelayTimeMillis (1 s) and rewinds the cursor.
    const rest = await receiveN(standby, 5, { timeoutMs: 60_000 }).catch((e: Error) => {
      throw new Error(`standby after failover: ${e.message}`);
    });
    expect([...fromActive, ...rest].map((m) => m.payload.toString())).toEqual(
      Array.from({ length: 10 }, (_, i) => String(20 + i)),
    );
  });
});
