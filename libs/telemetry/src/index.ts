export { MetricNames, AttributeKeys } from './names';
export { pipelineMetrics, type PipelineMetrics } from './metrics';
export { prometheusExporter, flushTelemetry } from './provider';
export { injectTraceContext, extractTraceContext, forwardProperties, parentIsUnsampled } from './propagation';
export { StageStats, type StageLoadSnapshot } from './stage-stats';
export { startConsumerSpan, runInSpan, startProducerSpan, endSpan } from './tracing';
export { traceSampler } from './sampling';
export { telemetrySettings } from './settings';
export { attributesOf } from './attributes';
