import { HpaSimulation } from './hpa-sim';
import { candidateModels, SeasonalNaive } from './models';
import { detectPeriod } from './period';
import { planFloor } from './planner';
import { ModelSelector } from './selector';
import type { Trace } from './trace';

/**
 * Replays a per-minute trace through two policies on the same simulated HPA: reactive (the HPA alone)
 * and predictive (the same HPA with its floor raised by `planFloor` from the selected forecaster's upper
 * peak over the lead time). An under-provisioned minute is one whose demand exceeds ready replicas ×
 * capacity; cost is replica-minutes. Masked minutes are neither learned from nor counted.
 */
export interface BacktestOptions {
  /** Events/s one replica serves; default: the trace's 99th-percentile demand / 8 (about 8 replicas at peak). */
  readonly capacity?: number;
  /** Pod start-up + readiness, minutes: the forecast horizon. */
  readonly leadMinutes?: number;
  /** HPA CPU target. */
  readonly target?: number;
  readonly minReplicas?: number;
  readonly headroom?: number;
  /** Largest floor decrease per minute. */
  readonly maxStepDown?: number;
  /** Minutes of history before the forecast is acted on (default: one detected period, else a day). */
  readonly minHistoryMinutes?: number;
}

export interface BacktestSeries {
  readonly demand: Float64Array;
  readonly forecast: Float64Array;
  readonly upper: Float64Array;
  readonly readyReactive: Float64Array;
  readonly readyPredictive: Float64Array;
  readonly masked: Uint8Array;
}

export interface BacktestResult {
  readonly minutes: number;
  readonly scoredMinutes: number;
  readonly capacity: number;
  readonly leadMinutes: number;
  readonly periodMinutes: number | undefined;
  readonly underprovReactive: number;
  readonly underprovPredictive: number;
  readonly replicaMinutesReactive: number;
  readonly replicaMinutesPredictive: number;
  readonly underprovReduction: number;
  readonly costIncrease: number;
  /** MASE of the selected forecasts (lead minutes ahead), scaled by the in-sample seasonal naive error. */
  readonly mase: number;
  /** The same for the seasonal naive forecaster alone: the selection must beat it. */
  readonly maseSeasonalNaive: number;
  /** Minutes each model was the selected one. */
  readonly selected: Record<string, number>;
  readonly series: BacktestSeries;
}

function quantile(values: number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

export function backtest(trace: Trace, options: BacktestOptions = {}): BacktestResult {
  const n = trace.values.length;
  // Per-minute counts → events/s.
  const demand = Float64Array.from(trace.values, (v) => v / 60);
  const live: number[] = [];
  for (let i = 0; i < n; i++) if (!trace.masked[i]) live.push(demand[i]!);
  const capacity = options.capacity ?? Math.max(quantile(live, 0.99) / 8, 1e-9);
  const lead = Math.max(1, Math.round(options.leadMinutes ?? 5));
  const target = options.target ?? 0.7;
  const minReplicas = options.minReplicas ?? 1;
  const maxReplicas = Math.max(minReplicas, Math.ceil((Math.max(...live, 0) / capacity / target) * 2) + 1);
  const { periodMinutes } = detectPeriod(trace.values, trace.masked);
  const seasonForScale = periodMinutes ?? 1440;
  const minHistory = options.minHistoryMinutes ?? seasonForScale;

  const hpa = { capacity, target, minReplicas, maxReplicas, startupMinutes: lead };
  const reactive = new HpaSimulation(hpa);
  const predictive = new HpaSimulation(hpa);
  const selector = new ModelSelector(candidateModels([periodMinutes ?? 1440, 1440]), { lead });
  const naive = new ModelSelector([new SeasonalNaive(seasonForScale)], { lead });

  const series: BacktestSeries = {
    demand,
    forecast: new Float64Array(n).fill(Number.NaN),
    upper: new Float64Array(n).fill(Number.NaN),
    readyReactive: new Float64Array(n),
    readyPredictive: new Float64Array(n),
    masked: trace.masked,
  };
  const selected: Record<string, number> = {};
  let underprovReactive = 0;
  let underprovPredictive = 0;
  let replicaMinutesReactive = 0;
  let replicaMinutesPredictive = 0;
  let scored = 0;
  let floor = minReplicas;
  let history = 0;
  let scaleSum = 0;
  let scaleCount = 0;
  // What the selection and the seasonal naive forecast, `lead` minutes ahead, for each minute.
  const chosenAhead = new Float64Array(n).fill(Number.NaN);
  const naiveAhead = new Float64Array(n).fill(Number.NaN);

  for (let i = 0; i < n; i++) {
    const masked = trace.masked[i] === 1;
    const d = demand[i]!;
    // The floor planned at the end of the previous minute is in force during this one.
    const r = reactive.minute(d);
    const p = predictive.minute(d, floor);
    series.readyReactive[i] = r.ready;
    series.readyPredictive[i] = p.ready;
    if (!masked) {
      scored++;
      if (d > r.ready * capacity) underprovReactive++;
      if (d > p.ready * capacity) underprovPredictive++;
      replicaMinutesReactive += r.replicas;
      replicaMinutesPredictive += p.replicas;
      history++;
      if (i >= seasonForScale && !trace.masked[i - seasonForScale]) {
        scaleSum += Math.abs(d - demand[i - seasonForScale]!);
        scaleCount++;
      }
    }
    const value = masked ? Number.NaN : d;
    selector.observe(value);
    naive.observe(value);
    const selection = selector.select();
    const naiveSelection = naive.select();
    if (naiveSelection && i + lead < n) naiveAhead[i + lead] = naiveSelection.path[lead - 1]!;
    if (selection) {
      selected[selection.model] = (selected[selection.model] ?? 0) + 1;
      if (i + lead < n) chosenAhead[i + lead] = selection.path[lead - 1]!;
      if (i + 1 < n) {
        series.forecast[i + 1] = selection.path[0]!;
        series.upper[i + 1] = selection.upperPeak;
      }
    }
    const plan = planFloor({
      upperPeak: selection?.upperPeak,
      capacityPerReplica: capacity,
      headroom: options.headroom ?? 0,
      originalMin: minReplicas,
      maxReplicas,
      currentMin: floor,
      history,
      minHistory,
      dataAgeMs: masked ? Number.POSITIVE_INFINITY : 0,
      maxDataAgeMs: 60_000,
      maxStepDown: options.maxStepDown ?? 1,
    });
    floor = plan.floor;
  }
  const scale = scaleCount ? scaleSum / scaleCount : Number.NaN;
  // Both scored on the same minutes: unmasked, with a forecast from each.
  let chosenErr = 0;
  let naiveErr = 0;
  let both = 0;
  for (let i = 0; i < n; i++) {
    if (trace.masked[i] || Number.isNaN(chosenAhead[i]!) || Number.isNaN(naiveAhead[i]!)) continue;
    chosenErr += Math.abs(demand[i]! - chosenAhead[i]!);
    naiveErr += Math.abs(demand[i]! - naiveAhead[i]!);
    both++;
  }
  const chosenMae = both ? chosenErr / both : Number.NaN;
  const naiveMae = both ? naiveErr / both : Number.NaN;
  return {
    minutes: n,
    scoredMinutes: scored,
    capacity,
    leadMinutes: lead,
    periodMinutes,
    underprovReactive,
    underprovPredictive,
    replicaMinutesReactive,
    replicaMinutesPredictive,
    underprovReduction: underprovReactive ? 1 - underprovPredictive / underprovReactive : 0,
    costIncrease: replicaMinutesReactive ? replicaMinutesPredictive / replicaMinutesReactive - 1 : 0,
    mase: chosenMae / scale,
    maseSeasonalNaive: naiveMae / scale,
    selected,
    series,
  };
}
