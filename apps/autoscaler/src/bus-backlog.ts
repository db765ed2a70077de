import type { Bus } from '@patternmesh/bus';
import type { StageRate } from '@patternmesh/forecast';
import type { LoadSource } from './load-source';

export interface StageInput {
  readonly stage: string;
  readonly topic: string;
  readonly subscription: string;
}

/**
 * Each stage's input backlog and input rate as the bus reports them (on Pulsar: the admin API's topic
 * stats, summed over partitions) — what KEDA's Pulsar scaler reads, and what a stage's own telemetry
 * cannot see: the work waiting for it. A bus without backlog figures contributes nothing.
 */
export function busBacklogSource(bus: Pick<Bus, 'backlog'>, inputs: readonly StageInput[]): LoadSource {
  return async () => {
    if (!bus.backlog) return [];
    const rows = await bus.backlog(inputs);
    return rows.flatMap((row): StageRate[] => {
      const input = inputs.find((i) => i.topic === row.topic && i.subscription === row.subscription);
      return input
        ? [
            {
              stage: input.stage,
              inRate: row.inRate,
              outRate: row.outRate,
              inFlight: row.unacked,
              backlog: row.backlog,
            },
          ]
        : [];
    });
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
