import { describe, expect, it } from 'vitest';
import { newAdmin, newClient, uniqueTopic } from './helpers';

describe('PulsarAdmin', () => {
  it('manages tenants, namespaces and policies, and reads stats', async () => {
    const admin = newAdmin();
    expect(await admin.ready()).toBe(true);
    const tenant = `t-${Date.now().toString(36)}`;
    await admin.createTenant(tenant);
    const ns = `${tenant}/ns1`;
    await admin.createNamespace(ns);
    await admin.createNamespace(ns); // idempotent
    expect(await admin.namespaces(tenant)).toContain(ns);
    await admin.setRetention(ns, { retentionTimeInMinutes: 60, retentionSizeInMB: 100 });
    await admin.setBacklogQuota(ns, { limitSize: 10 * 1024 * 1024, policy: 'producer_request_hold' });
    await admin.setNamespaceDeduplication(ns, true);
    const retention = await admin.request<{ retentionTimeInMinutes: number }>(
      'GET',
      `/admin/v2/namespaces/${ns}/retention`,
    );
    expect(retention.retentionTimeInMinutes).toBe(60);

    const topic = uniqueTopic('stats', ns);
    const client = newClient();
    const consumer = await client.subscribe({ topic, subscription: 'backlog', initialPosition: 'earliest' });
    // Unbatched: msgBacklog counts entries, and a batch is one entry.
    const producer = await client.createProducer({ topic, batching: { enabled: false } });
    await Promise.all(Array.from({ length: 25 }, (_, i) => producer.send({ payload: String(i) })));
    const stats = await admin.topicStats(topic);
    expect(stats.msgInCounter).toBe(25);
    expect(stats.subscriptions.backlog?.msgBacklog).toBe(25);
    expect(await admin.subscriptions(topic)).toEqual(['backlog']);
    await consumer.close();
    await producer.close();

    await admin.deleteTopic(topic);
    await expect(admin.topicStats(topic)).rejects.toMatchObject({
      code: 'PULSAR_TOPIC_NOT_FOUND',
      status: 404,
    });
    await admin.deleteNamespace(ns);
  });

  it('reports errors with stable codes', async () => {
    const admin = newAdmin();
    await expect(admin.createNamespace('no-such-tenant/x')).rejects.toMatchObject({
      code: 'PULSAR_TOPIC_NOT_FOUND',
    });
    await expect(admin.createNamespace('bad')).rejects.toMatchObject({ code: 'PULSAR_INVALID_ARGUMENT' });
  });
});
