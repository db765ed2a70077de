export { HoltForecaster } from './holt';
export { planFloor, type FloorInput, type FloorPlan, type FloorReason } from './planner';
export { LoadObserver, type StageRate, type StageObservation } from './load-observer';
