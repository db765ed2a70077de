/**
 * The Kubernetes HPA algorithm (pkg/controller/podautoscaler, the documented defaults) on a CPU target,
 * stepped every 15 s, as the reactive baseline of a backtest and as the engine under the predictive
 * floor:
 * - desired = ceil(current × utilization / target), unchanged within the 10 % tolerance;
 * - utilization is measured on ready pods and cannot exceed 100 % (a saturated pod shows 100 %), from
 *   metrics one resolution behind (metrics-server's 60 s window);
 * - scale-up: at most max(100 %, 4 pods) more per 15 s; scale-down: the highest recommendation of the
 *   last 300 s (stabilization), at most 100 % per 15 s;
 * - clamped to [minReplicas, maxReplicas]; a new pod is ready `startupMinutes` after it is created.
 */
export interface HpaSimOptions {
  /** Events/s one ready replica serves. */
  readonly capacity: number;
  /** CPU utilization target (0.7 = 70 %). */
  readonly target: number;
  readonly minReplicas: number;
  readonly maxReplicas: number;
  /** Pod start-up + readiness. */
  readonly startupMinutes: number;
  readonly tolerance?: number;
  readonly stabilizationSeconds?: number;
}

const SYNC_SECONDS = 15;

export class HpaSimulation {
  /** Creation times (s) of the pods, oldest first. */
  private pods: number[] = [];
  private readonly recommendations: Array<{ at: number; replicas: number }> = [];
  private now = 0;
  private lastDemand = 0;

  constructor(private readonly options: HpaSimOptions) {
    for (let i = 0; i < options.minReplicas; i++) this.pods.push(-Infinity);
  }

  private ready(at: number): number {
    const startup = this.options.startupMinutes * 60;
    let n = 0;
    for (const created of this.pods) if (at - created >= startup) n++;
    return n;
  }

  /**
   * One minute of `demand` events/s, with `minReplicas` as the floor in force (the predictive policy
   * raises it). Returns the mean ready and total replicas over the minute.
   */
  minute(demand: number, minReplicas = this.options.minReplicas): { ready: number; replicas: number } {
    const o = this.options;
    const floor = Math.min(o.maxReplicas, Math.max(1, minReplicas));
    let readySum = 0;
    let replicaSum = 0;
    for (let step = 0; step < 60 / SYNC_SECONDS; step++) {
      this.sync(this.lastDemand, floor);
      readySum += this.ready(this.now);
      replicaSum += this.pods.length;
      this.now += SYNC_SECONDS;
    }
    // The metrics the next minute's syncs see are this minute's (one window behind).
    this.lastDemand = demand;
    const steps = 60 / SYNC_SECONDS;
    return { ready: readySum / steps, replicas: replicaSum / steps };
  }

  private sync(measuredDemand: number, floor: number): void {
    const o = this.options;
    const current = this.pods.length;
    const ready = this.ready(this.now);
    let desired = current;
    if (ready > 0) {
      const utilization = Math.min(1, measuredDemand / (ready * o.capacity));
      const ratio = utilization / o.target;
      if (Math.abs(ratio - 1) > (o.tolerance ?? 0.1)) desired = Math.ceil(ready * ratio);
    } else if (measuredDemand > 0) {
      desired = Math.max(current, 1);
    }
    desired = Math.min(o.maxReplicas, Math.max(floor, desired));
    // Scale-down stabilization: the highest recommendation of the window wins.
    const window = o.stabilizationSeconds ?? 300;
    this.recommendations.push({ at: this.now, replicas: desired });
    while (this.recommendations.length && this.recommendations[0]!.at < this.now - window)
      this.recommendations.shift();
    let target = desired;
    if (desired < current) {
      target = Math.max(desired, ...this.recommendations.map((r) => r.replicas));
      target = Math.max(target, Math.floor(current / 2), floor);
    } else if (desired > current) {
      target = Math.min(desired, Math.max(current * 2, current + 4));
    }
    target = Math.min(o.maxReplicas, Math.max(floor, target));
    while (this.pods.length < target) this.pods.push(this.now);
    // Scale-down removes the newest pods first (unready ones before ready ones).
    if (this.pods.length > target) this.pods.length = target;
  }
}
