export { HoltForecaster } from './holt';
export { LoadObserver, type StageRate, type StageObservation } from './load-observer';
