export { createAutoscaler, type AutoscalerDeps } from './app';
export { autoscalerSettings, loadAutoscalerConfig } from './config';
export { grpcLoadSource, type LoadSource } from './load-source';
export { busBacklogSource, combineSources, type StageInput } from './bus-backlog';
export { autoscalerService, createAutoscalerService } from './service';
