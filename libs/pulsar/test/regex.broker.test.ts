import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { newAdmin, newClient, receiveN } from './helpers';

describe('regex subscriptions', () => {
  it('consume every matching topic, partitioned ones as one, and pick up topics created later', async () => {
    const admin = newAdmin();
    const client = newClient();
    const tag = `rx${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
    const ns = 'persistent://public/default';
    const plain = `${ns}/${tag}-lane-a`;
    const partitioned = `${ns}/${tag}-lane-p`;
    const later = `${ns}/${tag}-lane-later`;
    const other = `${ns}/${tag}-other`;
    await admin.createPartitionedTopic(partitioned, 2);
    const send = async (topic: string, payload: string) => {
      const p = await client.createProducer({ topic, batching: { enabled: false } });
      await p.send({ payload });
      await p.close();
    };
    await send(plain, 'a');
    await send(other, 'not-matching');

    const consumer = await client.subscribe({
      topicsPattern: new RegExp(`persistent://public/default/${tag}-lane-.*`),
      subscription: 'sub',
      initialPosition: 'earliest',
      patternAutoDiscoveryPeriodMs: 300,
    });
    expect(consumer.topics).toEqual([plain, partitioned]);
    await send(partitioned, 'p');
    await send(later, 'later');
    const got = await receiveN(consumer, 3);
    expect(got.map((m) => m.payload.toString()).sort()).toEqual(['a', 'later', 'p']);
    expect(consumer.topics).toEqual([plain, later, partitioned]);
    await expect(consumer.receive(1_000)).rejects.toMatchObject({ code: 'PULSAR_TIMEOUT' });
  });

  it('drop a matching topic that is deleted, and keep consuming the others', async () => {
    const admin = newAdmin();
    const client = newClient();
    const tag = `rx${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
    const ns = 'persistent://public/default';
    const kept = `${ns}/${tag}-lane-kept`;
    const doomed = `${ns}/${tag}-lane-doomed`;
    const producers = Object.fromEntries(
      await Promise.all(
        [kept, doomed].map(
          async (topic) =>
            [topic, await client.createProducer({ topic, batching: { enabled: false } })] as const,
        ),
      ),
    );
    const consumer = await client.subscribe({
      topicsPattern: new RegExp(`persistent://public/default/${tag}-lane-.*`),
      subscription: 'sub',
      initialPosition: 'earliest',
      patternAutoDiscoveryPeriodMs: 300,
    });
    expect(consumer.topics).toEqual([doomed, kept]);
    await producers[doomed]!.close();
    await admin.deleteTopic(doomed);
    const deadline = Date.now() + 30_000;
    while (consumer.topics.includes(doomed) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    expect(consumer.topics).toEqual([kept]);
    // The consumer goes on with what is left: the deletion did not close it.
    await producers[kept]!.send({ payload: 'still here' });
    const [m] = await receiveN(consumer, 1);
    expect(m!.payload.toString()).toBe('still here');
  });

  it('reject a pattern whose namespace is not literal', async () => {
    await expect(
      newClient().subscribe({ topicsPattern: 'persistent://public/.*/x', subscription: 's' }),
    ).rejects.toMatchObject({ code: 'PULSAR_INVALID_ARGUMENT' });
  });
});
