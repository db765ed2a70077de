/**
 * Every custom metric name and attribute key, in one place (the OpenTelemetry demo's
 * telemetry-schema habit): dashboards and alerts are written against these, so they change only here.
 */
export const MetricNames = {
  ingestAccepted: 'patternmesh.ingest.accepted',
  ingestRejected: 'patternmesh.ingest.rejected',
  stageProcessed: 'patternmesh.stage.processed',
  stageFailed: 'patternmesh.stage.failed',
  stageDuration: 'patternmesh.stage.duration',
  stageBatchSize: 'patternmesh.stage.batch_size',
  quarantined: 'patternmesh.quarantined',
  deadLettered: 'patternmesh.dead_lettered',
  classifyDecisions: 'patternmesh.classify.decisions',
  classifyScore: 'patternmesh.classify.score',
  classifyDrift: 'patternmesh.classify.drift',
  routed: 'patternmesh.routed',
  routeLatency: 'patternmesh.route.latency',
  autoscalerObservedRate: 'patternmesh.autoscaler.observed_rate',
  autoscalerForecast: 'patternmesh.autoscaler.forecast',
  autoscalerFloor: 'patternmesh.autoscaler.floor',
  controlApplied: 'patternmesh.control.applied',
  controlRejected: 'patternmesh.control.rejected',
  tailDisconnected: 'patternmesh.tail.disconnected',
} as const;

export const AttributeKeys = {
  stage: 'patternmesh.stage',
  tenant: 'patternmesh.tenant',
  errorCode: 'patternmesh.error.code',
  reason: 'patternmesh.reason',
  lane: 'patternmesh.lane',
  category: 'patternmesh.category',
  priority: 'patternmesh.priority',
  /** Which output a drift figure is about: `category` or `priority`. */
  driftOf: 'patternmesh.drift.of',
  transport: 'patternmesh.transport',
  controlKind: 'patternmesh.control.kind',
  controlSource: 'patternmesh.control.source',
  // OpenTelemetry semantic conventions for messaging.
  messagingSystem: 'messaging.system',
  messagingDestination: 'messaging.destination.name',
} as const;
