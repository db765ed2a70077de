export { createAutoscaler, type AutoscalerDeps } from './app';
export { autoscalerSettings, loadAutoscalerConfig } from './config';
export { expandTargets, grpcLoadSource, type LoadSource, type ResolveHost } from './load-source';
export { LoadHistory, type HistoryRecord, type LoadHistoryOptions, type RestoredSeries } from './history';
export { busBacklogSource, combineSources, type StageInput } from './bus-backlog';
export { autoscalerService, createAutoscalerService } from './service';
