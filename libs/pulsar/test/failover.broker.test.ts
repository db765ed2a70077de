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
    const fromActive = await receiveN(active, 5).catch((e: Error) => {
      throw new Error(`active consumer: ${e.message}`);
    });
    await active.close();
    // The broker hands over after activeConsumerFailoverDelayTimeMillis (1 s) and rewinds the cursor.
    // When the old consumer's last dispatch completes inside that second (about one run in fifteen on a
    // loaded machine), the broker's rewind reads nothing and only the client's stall check
    // (failoverStallCheckMs) gets the backlog moving: this test hung for 60 s without it.
    const rest = await receiveN(standby, 5, { timeoutMs: 60_000 }).catch((e: Error) => {
      throw new Error(`standby after failover: ${e.message}`);
    });
    expect([...fromActive, ...rest].map((m) => m.payload.toString())).toEqual(
      Array.from({ length: 10 }, (_, i) => String(20 + i)),
    );
  });

  // The broker race the stall check exists for, provoked: the active consumer closes while the broker
  // is still dispatching a burst to it. Without the check about 4 runs in 10 stranded the backlog (the
  // standby got nothing, or only what was published after the handover). At-least-once: the standby
  // may see some messages twice when the check asks for redelivery, but it must see every one.
  it('hands every unacked message to the standby when the active consumer closes mid-dispatch', async () => {
    for (let round = 0; round < 5; round++) {
      const client = newClient();
      const topic = uniqueTopic('failover-mid-dispatch');
      const opts = {
        topic,
        subscription: 'fo',
        type: 'Failover' as const,
        initialPosition: 'earliest' as const,
      };
      const first = await client.subscribe({ ...opts, consumerName: 'a' });
      const second = await client.subscribe({ ...opts, consumerName: 'b' });
      const producer = await client.createProducer({ topic, batching: { enabled: false } });
      // One message finds out which consumer is active.
      await producer.send({ payload: 'probe' });
      const probe = await drain(first, 1_500);
      const [active, standby] = probe.length > 0 ? [first, second] : [second, first];
      if (probe.length === 0) await drain(second, 1_500);

      const burst = 300;
      const sends = Array.from({ length: burst }, (_, i) => producer.send({ payload: String(i) }));
      const [acked] = await receiveN(active, 1);
      await active.close();
      await Promise.all(sends);

      const missing = new Set(Array.from({ length: burst }, (_, i) => String(i)));
      missing.delete(acked!.payload.toString());
      while (missing.size > 0) {
        const m = await standby.receive(20_000).catch((e: Error) => {
          throw new Error(`round ${round}: standby still misses ${missing.size} messages: ${e.message}`);
        });
        missing.delete(m.payload.toString());
        await standby.ack(m);
      }
      await client.close();
    }
  });
});
