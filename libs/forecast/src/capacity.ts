/**
 * Throughput one replica sustains, learned from what the stage actually did: its output rate divided by
 * its ready replicas, but only at moments the stage was saturated (work waiting: the input backlog grew
 * or stayed high). When a stage keeps up, output per replica only says how much work there was, not how
 * much a replica can do, so those samples teach nothing. Until `minSamples` saturated samples exist, the
 * configured default stands; a learned value is an exponential moving average.
 */
export interface CapacityOptions {
  readonly defaultPerReplica: number;
  readonly minSamples?: number;
  /** Weight of the newest saturated sample (0–1]. */
  readonly alpha?: number;
  /** Backlog (messages) at or above which a stage counts as saturated even when it did not grow. */
  readonly saturatedBacklog?: number;
}

export interface CapacitySample {
  readonly outRate: number;
  readonly readyReplicas: number;
  readonly backlog?: number;
}

export class CapacityEstimate {
  private learned: number | undefined;
  private samples = 0;
  private previousBacklog: number | undefined;

  constructor(private readonly options: CapacityOptions) {
    if (!(options.defaultPerReplica > 0)) throw new RangeError('defaultPerReplica must be > 0');
  }

  observe(sample: CapacitySample): void {
    const backlog = sample.backlog;
    const grew =
      backlog !== undefined && this.previousBacklog !== undefined && backlog > this.previousBacklog;
    const high = backlog !== undefined && backlog >= (this.options.saturatedBacklog ?? 1000);
    this.previousBacklog = backlog;
    if (!(grew || high) || !(sample.readyReplicas > 0) || !(sample.outRate > 0)) return;
    const perReplica = sample.outRate / sample.readyReplicas;
    const alpha = this.options.alpha ?? 0.2;
    this.learned = this.learned === undefined ? perReplica : alpha * perReplica + (1 - alpha) * this.learned;
    this.samples++;
  }

  /** Events/s per replica to plan with, and where the figure comes from. */
  perReplica(): { value: number; source: 'learned' | 'default'; samples: number } {
    if (this.learned !== undefined && this.samples >= (this.options.minSamples ?? 5)) {
      return { value: this.learned, source: 'learned', samples: this.samples };
    }
    return { value: this.options.defaultPerReplica, source: 'default', samples: this.samples };
  }
}
