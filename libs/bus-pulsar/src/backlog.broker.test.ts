import { PulsarAdmin, PulsarClient } from '@patternmesh/pulsar';
import { describe, expect, inject, it } from 'vitest';
import { PulsarBus } from './pulsar-bus';

describe('PulsarBus.backlog (real broker)', () => {
  it('reports the messages waiting in a subscription, over all partitions, and skips unknown topics', async () => {
    const admin = new PulsarAdmin({ url: inject('pulsarAdminUrl') });
    const client = new PulsarClient({ serviceUrl: inject('pulsarUrl') });
    const topic = `persistent://public/default/backlog-${Date.now().toString(36)}`;
    await admin.createPartitionedTopic(topic, 2);
    await admin.createSubscription(topic, 'normalizer');
    const producer = await client.createProducer({ topic, batching: { enabled: false } });
    for (let i = 0; i < 7; i++) await producer.send({ payload: Buffer.from(String(i)), key: `k${i}` });
    await producer.close();
    await client.close();

    const bus = PulsarBus.connect({ serviceUrl: inject('pulsarUrl'), adminUrl: inject('pulsarAdminUrl') });
    try {
      const rows = await bus.backlog([
        { topic, subscription: 'normalizer' },
        { topic: `${topic}-does-not-exist`, subscription: 'x' },
      ]);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ topic, subscription: 'normalizer', backlog: 7 });
    } finally {
      await bus.close();
      await admin.deleteTopic(topic).catch(() => undefined);
    }
  });
});
