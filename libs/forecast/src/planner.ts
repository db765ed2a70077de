/**
 * The floor an HPA should have, from a forecast: the safety rules of predictive scaling (Crane EHPA,
 * AWS predictive scaling, PHPA) in one pure function, so the actuator, the backtest and the tests all
 * plan the same way.
 *
 * - Only the floor: the HPA's reactive scaling stays in charge above it.
 * - floor = ceil(upper forecast peak × (1 + headroom) / capacity per replica), clamped to
 *   [the HPA's original minReplicas, maxReplicas].
 * - Up at once (a raised floor acts immediately, which is the point), down gradually (the HPA does not
 *   smooth a lowered floor): at most `maxStepDown` replicas per planning round.
 * - No forecast, too little history or stale data: back to the original floor, with the reason.
 */
export interface FloorInput {
  /** Upper bound of the forecast over the lead time (pod start-up + readiness), events/s. */
  readonly upperPeak: number | undefined;
  /** Sustainable throughput of one ready replica, events/s. */
  readonly capacityPerReplica: number;
  /** Extra share planned above the forecast (0.2 = 20 %). */
  readonly headroom: number;
  /** The HPA's minReplicas before the autoscaler touched it. */
  readonly originalMin: number;
  readonly maxReplicas: number;
  /** The floor in force now. */
  readonly currentMin: number;
  /** Observations the forecaster has seen, and how many it needs before it is trusted. */
  readonly history: number;
  readonly minHistory: number;
  /** Age of the newest observation, and the age past which data counts as stale. */
  readonly dataAgeMs: number;
  readonly maxDataAgeMs: number;
  /** Largest decrease per round. */
  readonly maxStepDown: number;
}

export type FloorReason =
  'forecast' | 'stepping-down' | 'insufficient-history' | 'stale-data' | 'no-forecast' | 'invalid-capacity';

export interface FloorPlan {
  readonly floor: number;
  readonly reason: FloorReason;
  /** The floor the forecast alone asks for (before the step-down limit), when there is one. */
  readonly wanted?: number;
}

const clamp = (value: number, low: number, high: number) => Math.min(high, Math.max(low, value));

/** Towards `target` from `current`, never dropping more than `maxStepDown` in one round. */
function stepTowards(current: number, target: number, maxStepDown: number): number {
  return target >= current ? target : Math.max(target, current - Math.max(1, maxStepDown));
}

export function planFloor(input: FloorInput): FloorPlan {
  const low = Math.max(1, input.originalMin);
  const high = Math.max(low, input.maxReplicas);
  const fallback = (reason: FloorReason): FloorPlan => {
    const floor = clamp(stepTowards(input.currentMin, low, input.maxStepDown), low, high);
    return { floor, reason: floor > low ? 'stepping-down' : reason };
  };
  if (!(input.capacityPerReplica > 0)) return fallback('invalid-capacity');
  if (input.history < input.minHistory) return fallback('insufficient-history');
  if (input.dataAgeMs > input.maxDataAgeMs) return fallback('stale-data');
  if (input.upperPeak === undefined || !Number.isFinite(input.upperPeak)) return fallback('no-forecast');
  const wanted = clamp(
    Math.ceil((Math.max(0, input.upperPeak) * (1 + Math.max(0, input.headroom))) / input.capacityPerReplica),
    low,
    high,
  );
  const floor = clamp(stepTowards(input.currentMin, wanted, input.maxStepDown), low, high);
  return { floor, reason: floor > wanted ? 'stepping-down' : 'forecast', wanted };
}
