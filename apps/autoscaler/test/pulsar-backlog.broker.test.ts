import { PulsarAdmin, PulsarClient } from '@patternmesh/pulsar';
import { describe, expect, inject, it } from 'vitest';
import { combineSources, pulsarBacklogSource } from '../src/pulsar-backlog';

describe('Pulsar backlog source (real broker)', () => {
  it('reports the messages waiting in a stage subscription, over all partitions', async () => {
    const admin = new PulsarAdmin({ url: inject('pulsarAdminUrl') });
    const client = new PulsarClient({ serviceUrl: inject('pulsarUrl') });
    const topic = `persistent://public/default/backlog-${Date.now().toString(36)}`;
    await admin.createPartitionedTopic(topic, 2);
    await admin.createSubscription(topic, 'normalizer');
    const producer = await client.createProducer({ topic, batching: { enabled: false } });
    for (let i = 0; i < 7; i++) await producer.send({ payload: Buffer.from(String(i)), key: `k${i}` });
    await producer.close();
    await client.close();

    const source = pulsarBacklogSource(admin, [
      { stage: 'normalize', topic, subscription: 'normalizer' },
      { stage: 'missing', topic: `${topic}-does-not-exist`, subscription: 'x' },
    ]);
    const rows = await source();
    expect(rows.map((r) => r.stage)).toEqual(['normalize']);
    expect(rows[0]!.backlog).toBe(7);

    const combined = await combineSources(
      async () => [{ stage: 'normalize', inRate: 3, outRate: 2, inFlight: 1 }],
      source,
    )();
    expect(combined).toEqual([{ stage: 'normalize', inRate: 3, outRate: 2, inFlight: 1, backlog: 7 }]);
  });
});
