import {
  deadLetterTopicName,
  laneNamespace,
  topicNamespace,
  type PipelineTopics,
} from '@patternmesh/pattern';
import type { PulsarAdmin } from '@patternmesh/pulsar';

export interface ProvisionOptions {
  readonly topics: PipelineTopics;
  /** Customer tenants (from the API keys); each gets `<tenant>/patterns` for its lane topics. */
  readonly tenants: readonly string[];
  /** Stage subscriptions created with their input topic, so nothing published before a stage starts is lost. */
  readonly stageSubscriptions: ReadonlyArray<{ topic: string; subscription: string }>;
  /**
   * Partitions of `raw`, the topic every producer writes to (the design: partitioned, key =
   * tenant/source/entity). An existing non-partitioned `raw` is left as it is.
   */
  readonly rawPartitions?: number;
  /** Retention of lane topics, so a subscriber joining later can still read from the earliest message. */
  readonly laneRetention?: { minutes: number; sizeMb: number };
  /**
   * Control topics (live configuration documents). Their namespace keeps everything (a document is
   * current until replaced) and compacts, so a replica reading from the start gets the latest
   * document per key, not the whole history.
   */
  readonly controlTopics?: readonly string[];
  /** Backlog quota of the lane namespaces, in MB, policy producer_request_hold (never drops); 0 or unset: the cluster's. */
  readonly laneBacklogQuotaMb?: number;
  /** Offload threshold of the archive namespace, in MB (tiered storage); -1 or unset: the cluster's. */
  readonly archiveOffloadThresholdMb?: number;
}

const namespaceOf = (topic: string): string => {
  const namespace = topicNamespace(topic);
  if (!namespace) throw new RangeError(`not a full topic name: ${topic}`);
  return namespace;
};

/**
 * Creates what the pipeline needs on a Pulsar cluster: tenants, namespaces, the stage subscriptions
 * (a topic without a subscription keeps nothing), and retention on the archive (kept until removed
 * by policy), quarantine and lane namespaces. Idempotent: run it before every start. In Kubernetes
 * the chart's provisioning Job does the same.
 */
export async function provisionPulsar(admin: PulsarAdmin, options: ProvisionOptions): Promise<string[]> {
  const done: string[] = [];
  const { topics } = options;
  const pipelineNamespaces = [
    ...new Set(
      [topics.raw, topics.normalized, topics.classified, topics.quarantine, topics.archive].map(namespaceOf),
    ),
  ];
  const controlNamespaces = [...new Set((options.controlTopics ?? []).map(namespaceOf))];
  const laneNamespaces = options.tenants.map(laneNamespace);
  const namespaces = [...new Set([...pipelineNamespaces, ...controlNamespaces, ...laneNamespaces])];
  const tenants = [...new Set(namespaces.map((ns) => ns.split('/')[0]!))];
  for (const tenant of tenants) {
    await admin.createTenant(tenant);
    done.push(`tenant ${tenant}`);
  }
  for (const ns of namespaces) {
    await admin.createNamespace(ns);
    done.push(`namespace ${ns}`);
  }
  // Broker de-duplication on the pipeline: a stage producer that re-sends after a reconnect (same name,
  // resumed sequence ids) does not create duplicates between stages.
  for (const ns of pipelineNamespaces) await admin.setNamespaceDeduplication(ns, true);
  // The archive is cold storage: keep everything (offload to tiered storage is a cluster policy).
  await admin.setRetention(namespaceOf(topics.archive), {
    retentionTimeInMinutes: -1,
    retentionSizeInMB: -1,
  });
  await admin.setRetention(namespaceOf(topics.quarantine), {
    retentionTimeInMinutes: 7 * 24 * 60,
    retentionSizeInMB: 1024,
  });
  const lane = options.laneRetention ?? { minutes: 24 * 60, sizeMb: 1024 };
  for (const ns of laneNamespaces) {
    await admin.setRetention(ns, { retentionTimeInMinutes: lane.minutes, retentionSizeInMB: lane.sizeMb });
    if (options.laneBacklogQuotaMb) {
      // The broker requires a backlog quota below the retention size. Hold, never evict: a lane is
      // where subscribers read, and an evicted backlog would be patterns silently lost.
      await admin.setBacklogQuota(ns, {
        limitSize: options.laneBacklogQuotaMb * 1024 * 1024,
        policy: 'producer_request_hold',
      });
      done.push(`backlog quota ${options.laneBacklogQuotaMb} MB on ${ns}`);
    }
  }
  if (options.archiveOffloadThresholdMb !== undefined && options.archiveOffloadThresholdMb >= 0) {
    await admin.setOffloadThreshold(
      namespaceOf(topics.archive),
      options.archiveOffloadThresholdMb * 1024 * 1024,
    );
    done.push(`offload threshold ${options.archiveOffloadThresholdMb} MB on ${namespaceOf(topics.archive)}`);
  }
  for (const ns of controlNamespaces) {
    await admin.setRetention(ns, { retentionTimeInMinutes: -1, retentionSizeInMB: -1 });
    // Compact once 1 MiB of history accumulates (the broker checks periodically).
    await admin.setCompactionThreshold(ns, 1024 * 1024);
  }
  for (const topic of options.controlTopics ?? []) {
    await admin.createTopic(topic);
    done.push(`control topic ${topic}`);
  }
  const rawPartitions = options.rawPartitions ?? 4;
  if (rawPartitions > 0) await admin.createPartitionedTopic(topics.raw, rawPartitions);
  for (const { topic, subscription } of options.stageSubscriptions) {
    if (topic !== topics.raw || rawPartitions === 0) await admin.createTopic(topic);
    await admin.createSubscription(topic, subscription);
    // Its dead-letter topic too: on a cluster without auto topic creation a failing message would
    // otherwise be retried forever instead of being parked.
    await admin.createTopic(deadLetterTopicName(topic, subscription));
    done.push(`subscription ${subscription} on ${topic} (+ DLQ)`);
  }
  return done;
}
