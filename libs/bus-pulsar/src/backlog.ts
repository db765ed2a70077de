import type { SubscriptionBacklog } from '@patternmesh/bus';
import type { PulsarAdmin } from '@patternmesh/pulsar';

/**
 * Each subscription's backlog and its topic's rates from the admin API's topic stats, summed over
 * partitions: what KEDA's Pulsar scaler reads, and what a stage's own telemetry cannot see (the work
 * waiting for it). A topic that cannot be read is left out of the answer.
 */
export async function readBacklog(
  admin: PulsarAdmin,
  inputs: ReadonlyArray<{ topic: string; subscription: string }>,
): Promise<SubscriptionBacklog[]> {
  const rows = await Promise.allSettled(
    inputs.map(async ({ topic, subscription }): Promise<SubscriptionBacklog> => {
      const { partitions } = await admin.getPartitionedMetadata(topic);
      const stats = partitions > 0 ? await admin.partitionedTopicStats(topic) : await admin.topicStats(topic);
      const sub = stats.subscriptions?.[subscription];
      return {
        topic,
        subscription,
        inRate: stats.msgRateIn ?? 0,
        outRate: sub?.msgRateOut ?? 0,
        unacked: sub?.unackedMessages ?? 0,
        backlog: sub?.msgBacklog ?? 0,
      };
    }),
  );
  return rows.flatMap((row) => (row.status === 'fulfilled' ? [row.value] : []));
}
