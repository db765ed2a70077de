import type { Bus, BusMessage } from '@patternmesh/bus';
import { followCompacted } from '@patternmesh/control';
import type { Logger } from '@patternmesh/service-kit';

/**
 * The autoscaler's per-stage load history on a compacted topic, so a restart (a new pod, a rollout)
 * resumes with the forecasters' seasons instead of relearning them for a week.
 *
 * The series is cut into buckets of `bucketSteps` steps; a bucket is one message under the key
 * `<stage>/<bucket start>`, published again whenever a step of it closes (compaction keeps the latest
 * version), and deleted with a tombstone once it falls out of the kept window. The topic therefore holds
 * at most `keepSteps` steps per stage however long the autoscaler runs. One autoscaler writes it (the
 * chart runs one replica).
 */
export interface LoadHistoryOptions {
  readonly bus: Bus;
  readonly topic: string;
  readonly stepMs: number;
  /** Steps kept per stage (older buckets are deleted). */
  readonly keepSteps: number;
  readonly logger: Logger;
  /** Steps per message (default 60: an hour of one-minute steps). */
  readonly bucketSteps?: number;
  readonly now?: () => number;
}

/** One bucket as it travels: JSON, so an operator can read it with any Pulsar client. */
export interface HistoryRecord {
  readonly stage: string;
  readonly stepMs: number;
  /** Start of `values[0]`'s step, epoch ms. */
  readonly start: number;
  /** Mean events/s of each step; null for a step without samples. */
  readonly values: Array<number | null>;
}

/** A stage's restored series: contiguous steps from `start`, NaN where nothing was recorded. */
export interface RestoredSeries {
  readonly start: number;
  readonly values: Float64Array;
}

/** Catch-up markers on the history topic (deleted once read back). */
const MARKER_PREFIX = 'sync/';

interface Bucket extends HistoryRecord {
  dirty: boolean;
  published: boolean;
}

export class LoadHistory {
  private readonly buckets = new Map<string, Bucket>();
  /** Keys to delete on the next flush. */
  private readonly expired = new Set<string>();
  private readonly bucketSteps: number;
  private readonly now: () => number;

  constructor(private readonly options: LoadHistoryOptions) {
    this.bucketSteps = options.bucketSteps ?? 60;
    this.now = options.now ?? Date.now;
  }

  private get spanMs(): number {
    return this.bucketSteps * this.options.stepMs;
  }

  private get keepMs(): number {
    return this.options.keepSteps * this.options.stepMs;
  }

  /**
   * Reads the topic up to now and returns each stage's kept series. Buckets recorded with another step
   * size, or that cannot be read, are left out (and logged); buckets older than the kept window are
   * deleted on the next flush.
   */
  async restore(timeoutMs = 15_000): Promise<Map<string, RestoredSeries>> {
    const read = new Map<string, HistoryRecord>();
    let unreadable = 0;
    let otherStep = 0;
    const subscription = await followCompacted(this.options.bus, this.options.topic, {
      markerPrefix: MARKER_PREFIX,
      subscriptionPrefix: 'autoscaler-history-',
      timeoutMs,
      onMessage: (message) => {
        if (!message.key) return;
        if (message.payload.length === 0) {
          read.delete(message.key); // deleted before compaction caught up
          return;
        }
        const record = parseRecord(message);
        if (!record) unreadable++;
        else if (record.stepMs !== this.options.stepMs) otherStep++;
        else read.set(message.key, record);
      },
    });
    await subscription.close();
    if (unreadable || otherStep) {
      this.options.logger.warn(
        { topic: this.options.topic, unreadable, otherStep, stepMs: this.options.stepMs },
        'load history: buckets left out (unreadable, or recorded with another step size)',
      );
    }
    const oldest = this.now() - this.keepMs;
    for (const [key, record] of read) {
      const bucket: Bucket = { ...record, values: [...record.values], dirty: false, published: true };
      if (bucketEnd(bucket) <= oldest) this.expired.add(key);
      else this.buckets.set(key, bucket);
    }
    return this.series();
  }

  /** Each stage's kept buckets joined into one contiguous series. */
  private series(): Map<string, RestoredSeries> {
    const byStage = new Map<string, Bucket[]>();
    for (const bucket of this.buckets.values()) {
      const list = byStage.get(bucket.stage) ?? [];
      list.push(bucket);
      byStage.set(bucket.stage, list);
    }
    const out = new Map<string, RestoredSeries>();
    const step = this.options.stepMs;
    for (const [stage, buckets] of byStage) {
      const start = Math.min(...buckets.map((b) => b.start));
      const end = Math.max(...buckets.map(bucketEnd));
      const values = new Float64Array(Math.round((end - start) / step)).fill(Number.NaN);
      for (const bucket of buckets) {
        const offset = Math.round((bucket.start - start) / step);
        bucket.values.forEach((v, i) => {
          if (v !== null) values[offset + i] = v;
        });
      }
      out.set(stage, { start, values });
    }
    return out;
  }

  /** A closed step of a stage (its start, epoch ms; NaN for a step without samples). */
  record(stage: string, start: number, value: number): void {
    const span = this.spanMs;
    const step = this.options.stepMs;
    const bucketStart = Math.floor(start / span) * span;
    const key = `${stage}/${bucketStart}`;
    let bucket = this.buckets.get(key);
    if (!bucket) {
      // Steps close in order, so this is the bucket's first; the grid need not be aligned to the bucket.
      bucket = { stage, stepMs: step, start, values: [], dirty: false, published: false };
      this.buckets.set(key, bucket);
    }
    const index = Math.round((start - bucket.start) / step);
    if (index < 0) return;
    while (bucket.values.length <= index) bucket.values.push(null);
    bucket.values[index] = Number.isFinite(value) ? value : null;
    bucket.dirty = true;
    this.expire(start - this.keepMs);
  }

  private expire(oldest: number): void {
    for (const [key, bucket] of this.buckets) {
      if (bucketEnd(bucket) > oldest) continue;
      this.buckets.delete(key);
      if (bucket.published) this.expired.add(key);
    }
  }

  /**
   * Publishes every bucket changed since the last flush (a bucket of gaps only is not worth a message)
   * and deletes the expired ones. A failed publish is logged and retried on the next flush: the history
   * is an aid to the forecast, never a reason to stop planning.
   */
  async flush(): Promise<void> {
    const { bus, topic, logger } = this.options;
    const writes: Array<Promise<void>> = [];
    for (const [key, bucket] of this.buckets) {
      if (!bucket.dirty || bucket.values.every((v) => v === null)) continue;
      bucket.dirty = false;
      const record: HistoryRecord = {
        stage: bucket.stage,
        stepMs: bucket.stepMs,
        start: bucket.start,
        values: bucket.values,
      };
      writes.push(
        bus.publish(topic, { key, payload: Buffer.from(JSON.stringify(record), 'utf8') }).then(
          () => void (bucket.published = true),
          (error: unknown) => {
            bucket.dirty = true;
            throw error;
          },
        ),
      );
    }
    for (const key of this.expired) {
      writes.push(
        bus.publish(topic, { key, payload: new Uint8Array() }).then(() => void this.expired.delete(key)),
      );
    }
    const failed = (await Promise.allSettled(writes)).filter((r) => r.status === 'rejected');
    if (failed.length > 0) {
      logger.warn(
        { topic, failed: failed.length, err: (failed[0] as PromiseRejectedResult).reason },
        'load history: not all buckets written; retrying on the next round',
      );
    }
  }
}

function bucketEnd(bucket: HistoryRecord): number {
  return bucket.start + bucket.values.length * bucket.stepMs;
}

function parseRecord(message: BusMessage): HistoryRecord | undefined {
  try {
    const json = JSON.parse(Buffer.from(message.payload).toString('utf8')) as Partial<HistoryRecord>;
    if (
      typeof json.stage !== 'string' ||
      typeof json.stepMs !== 'number' ||
      !(json.stepMs > 0) ||
      typeof json.start !== 'number' ||
      !Number.isFinite(json.start) ||
      !Array.isArray(json.values) ||
      !json.values.every((v) => v === null || (typeof v === 'number' && Number.isFinite(v)))
    ) {
      return undefined;
    }
    return { stage: json.stage, stepMs: json.stepMs, start: json.start, values: json.values };
  } catch {
    return undefined;
  }
}
