import { loadConfig, setting } from '@patternmesh/service-kit';

export const autoscalerSettings = {
  PATTERNMESH_AUTOSCALER_DRY_RUN: setting.bool('only log what it would do; never patch an HPA', {
    default: true,
  }),
  PATTERNMESH_AUTOSCALER_INTERVAL_MS: setting.int('how often load is sampled, ms', {
    default: 10_000,
    min: 100,
  }),
  PATTERNMESH_AUTOSCALER_NAMESPACE: setting.string(
    'namespace of the HPAs it drives (the chart sets its own); empty: plan and log floors without the Kubernetes API',
    { default: '' },
  ),
  PATTERNMESH_AUTOSCALER_HPAS: setting.pairs(
    'stage=HPA name pairs, which HPA scales which stage (normalize, classify, route, ingest)',
    { default: {} },
  ),
  PATTERNMESH_AUTOSCALER_OPT_IN_LABEL: setting.string(
    'label whose value "enabled" opts an HPA in; the others are never patched',
    { default: 'patternmesh.io/predictive-floor' },
  ),
  PATTERNMESH_AUTOSCALER_CAPACITY_PER_REPLICA: setting.int(
    'events/s one replica sustains, used to turn a forecast into replicas until enough is learned (output per running replica while the stage is saturated)',
    { default: 500, min: 1 },
  ),
  PATTERNMESH_AUTOSCALER_HEADROOM_PERCENT: setting.int('planned above the forecast, percent', {
    default: 20,
    min: 0,
    max: 1000,
  }),
  PATTERNMESH_AUTOSCALER_MIN_HISTORY: setting.int(
    'forecast steps of a stage before its forecast is acted on (fewer: the original floor)',
    { default: 60, min: 1 },
  ),
  PATTERNMESH_AUTOSCALER_STEP_MS: setting.int(
    "the forecasters' time step: load samples are averaged over it (a minute, as the backtest runs)",
    { default: 60_000, min: 100 },
  ),
  PATTERNMESH_AUTOSCALER_LEAD_SECONDS: setting.int(
    'pod start-up plus readiness: the floor is planned for the peak over this horizon',
    { default: 300, min: 1 },
  ),
  PATTERNMESH_AUTOSCALER_MAX_STEP_DOWN: setting.int('replicas the floor may drop per round', {
    default: 1,
    min: 1,
  }),
  PATTERNMESH_AUTOSCALER_HISTORY_STEPS: setting.int(
    "forecast steps of each stage's load kept on the bus's autoscaler-history topic and read back at start, so a restart keeps the seasons learned (default: two weeks of one-minute steps, two weekly seasons); 0: not kept",
    { default: 20_160, min: 0 },
  ),
  PATTERNMESH_TELEMETRY_TARGETS: setting.string(
    'comma-separated host:port of the services whose TelemetryService is polled (standalone mode)',
    { default: '' },
  ),
};

export const loadAutoscalerConfig = (env?: Record<string, string | undefined>) =>
  loadConfig(autoscalerSettings, env);
