export { createAutoscaler, type AutoscalerDeps } from './app';
export { autoscalerSettings, loadAutoscalerConfig } from './config';
export { grpcLoadSource, type LoadSource } from './load-source';
export { pulsarBacklogSource, combineSources, loadSourceForBus, type StageInput } from './pulsar-backlog';
