import { loadConfig, setting } from '@patternmesh/service-kit';

export const autoscalerSettings = {
  PATTERNMESH_AUTOSCALER_DRY_RUN: setting.bool('only log what it would do; never patch an HPA', {
    default: true,
  }),
  PATTERNMESH_AUTOSCALER_INTERVAL_MS: setting.int('how often load is sampled, ms', {
    default: 10_000,
    min: 100,
  }),
  PATTERNMESH_TELEMETRY_TARGETS: setting.string(
    'comma-separated host:port of the services whose TelemetryService is polled (standalone mode)',
    { default: '' },
  ),
};

export const loadAutoscalerConfig = (env?: Record<string, string | undefined>) =>
  loadConfig(autoscalerSettings, env);
