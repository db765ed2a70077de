export { HoltForecaster } from './holt';
export { planFloor, type FloorInput, type FloorPlan, type FloorReason } from './planner';
export { LoadObserver, type StageRate, type StageObservation } from './load-observer';
export { parseTrace, parseTime, type Trace, type TraceOptions } from './trace';
export {
  SeasonalNaive,
  HoltLinear,
  HoltWinters,
  LinearTrend,
  candidateModels,
  type Forecaster,
} from './models';
export { detectPeriod, type DetectedPeriod, type PeriodOptions } from './period';
export { ModelSelector, type Selection, type SelectorOptions } from './selector';
export { HpaSimulation, type HpaSimOptions } from './hpa-sim';
export { backtest, type BacktestOptions, type BacktestResult, type BacktestSeries } from './backtest';
export { backtestHtml, backtestSvg } from './plot';
export { StageForecast, type StageForecastOptions } from './stage-forecast';
export { CapacityEstimate, type CapacityOptions, type CapacitySample } from './capacity';
