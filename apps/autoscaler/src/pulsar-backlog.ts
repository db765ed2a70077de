import type { StageRate } from '@patternmesh/forecast';
import { stageInputs, type PipelineTopics } from '@patternmesh/pattern';
import { PulsarAdmin } from '@patternmesh/pulsar';
import type { LoadSource } from './load-source';

export interface StageInput {
  readonly stage: string;
  readonly topic: string;
  readonly subscription: string;
}

/**
 * Reads each stage's input backlog and input rate from the Pulsar admin API (topic stats, summed over
 * partitions) — what KEDA's Pulsar scaler reads, and what a stage's own telemetry cannot see: the
 * work waiting for it. A topic that cannot be read is left out of the round.
 */
export function pulsarBacklogSource(admin: PulsarAdmin, inputs: readonly StageInput[]): LoadSource {
  return async () => {
    const rows = await Promise.allSettled(
      inputs.map(async (input): Promise<StageRate> => {
        const { partitions } = await admin.getPartitionedMetadata(input.topic);
        const stats =
          partitions > 0
            ? await admin.partitionedTopicStats(input.topic)
            : await admin.topicStats(input.topic);
        const subscription = stats.subscriptions?.[input.subscription];
        return {
          stage: input.stage,
          inRate: stats.msgRateIn ?? 0,
          outRate: subscription?.msgRateOut ?? 0,
          inFlight: subscription?.unackedMessages ?? 0,
          backlog: subscription?.msgBacklog ?? 0,
        };
      }),
    );
    return rows.flatMap((row) => (row.status === 'fulfilled' ? [row.value] : []));
  };
}

/**
 * Joins service telemetry with bus figures per stage: the services know what they processed, the
 * bus knows what is waiting. Telemetry wins for rates; the bus adds the backlog.
 */
export function combineSources(telemetry: LoadSource, bus: LoadSource): LoadSource {
  return async () => {
    // Without the bus figures the round still has the services' own: a broker hiccup is not fatal.
    const [fromServices, fromBus] = await Promise.all([telemetry(), bus().catch(() => [] as StageRate[])]);
    const byStage = new Map(fromServices.map((s) => [s.stage, s]));
    for (const row of fromBus) {
      const known = byStage.get(row.stage);
      byStage.set(row.stage, known ? { ...known, backlog: row.backlog ?? 0 } : row);
    }
    return [...byStage.values()];
  };
}

/**
 * The autoscaler's load source for a process's bus: on Pulsar, service telemetry plus each stage's
 * input backlog from the admin API; on the embedded bus, telemetry alone.
 */
export function loadSourceForBus(
  telemetry: LoadSource,
  busKind: string,
  config: { PULSAR_ADMIN_URL: string; PULSAR_AUTH_TOKEN: string },
  topics: PipelineTopics,
): LoadSource {
  if (busKind !== 'pulsar') return telemetry;
  const admin = new PulsarAdmin({
    url: config.PULSAR_ADMIN_URL,
    ...(config.PULSAR_AUTH_TOKEN ? { authToken: config.PULSAR_AUTH_TOKEN } : {}),
  });
  return combineSources(telemetry, pulsarBacklogSource(admin, stageInputs(topics)));
}
