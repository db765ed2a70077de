import * as grpc from '@grpc/grpc-js';
import type { StageRate } from '@patternmesh/forecast';
import { TelemetryServiceClient, type GetLoadResponse } from '@patternmesh/proto';

/** Where the autoscaler reads current load from. */
export type LoadSource = () => Promise<StageRate[]>;

/**
 * Pulls TelemetryService.GetLoad from each target, with a deadline per call, and sums the figures
 * per stage across replicas. A target that does not answer is left out of this round (and logged by
 * the caller), never fatal.
 */
export function grpcLoadSource(
  targets: readonly string[],
  deadlineMs = 2_000,
): { source: LoadSource; close(): void } {
  const clients = targets.map((t) => new TelemetryServiceClient(t, grpc.credentials.createInsecure()));
  const source: LoadSource = async () => {
    const answers = await Promise.allSettled(
      clients.map(
        (client) =>
          new Promise<GetLoadResponse>((resolve, reject) =>
            client.getLoad(
              {},
              new grpc.Metadata(),
              { deadline: Date.now() + deadlineMs },
              (error, response) => (error ? reject(error) : resolve(response)),
            ),
          ),
      ),
    );
    const byStage = new Map<string, { stage: string; inRate: number; outRate: number; inFlight: number }>();
    for (const answer of answers) {
      if (answer.status !== 'fulfilled') continue;
      for (const s of answer.value.stages) {
        const sum = byStage.get(s.stage) ?? { stage: s.stage, inRate: 0, outRate: 0, inFlight: 0 };
        sum.inRate += s.inRate;
        sum.outRate += s.outRate;
        sum.inFlight += s.inFlight;
        byStage.set(s.stage, sum);
      }
    }
    return [...byStage.values()];
  };
  return { source, close: () => clients.forEach((c) => c.close()) };
}
