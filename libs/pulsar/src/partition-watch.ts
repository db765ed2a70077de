/**
 * Periodic discovery of partitions added to a partitioned topic (`pulsar-admin topics
 * update-partitioned-topic`). Without it a producer or consumer keeps the partition count it read at
 * creation: partitions added later are never produced to, and messages published to them by other
 * clients are never consumed. Partitions are only ever added in Pulsar, so only growth is handled.
 */
import type { ClientContext } from './client-context';
import { runPeriodically } from './periodic';
import type { PeriodicTask } from './periodic';

export type PartitionWatch = PeriodicTask;

/**
 * Every `intervalMs`, reads the partition count of `topic` and, when it grew beyond `current()`,
 * calls `grow(from, to)` (at most one call at a time; a failed grow is retried at the next tick).
 */
export function watchPartitions(
  ctx: ClientContext,
  topic: string,
  intervalMs: number,
  current: () => number,
  grow: (from: number, to: number) => Promise<void>,
): PartitionWatch {
  return runPeriodically(ctx, intervalMs, 'partition discovery', { topic }, async () => {
    const n = await ctx.lookup.partitions(topic);
    const from = current();
    if (n > from) {
      ctx.log.info('partitions added; extending', { topic, from, to: n });
      await grow(from, n);
    }
  });
}

/**
 * Starts every partition's producer or consumer; if one fails, closes them all and throws its error,
 * so nothing half-started is left registered on a broker.
 */
export async function startAllOrClose(
  parts: readonly { start(): Promise<void>; close(): Promise<void> }[],
): Promise<void> {
  const started = await Promise.allSettled(parts.map((p) => p.start()));
  const failed = started.find((s) => s.status === 'rejected');
  if (!failed) return;
  await Promise.allSettled(parts.map((p) => p.close()));
  throw failed.reason;
}
