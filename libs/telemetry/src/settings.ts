import { setting } from '@patternmesh/config';

/**
 * Telemetry settings every process has. The bootstrap (`./register`) reads them before the service's
 * config loads; the service lists them among its own (service-kit's common settings), so a bad value
 * is reported with the rest at start-up.
 */
export const telemetrySettings = {
  PATTERNMESH_TRACE_SAMPLE_RATIO: setting.ratio(
    'share of new traces recorded, decided at the gateway and followed by later hops; all messages carry trace context (OTEL_TRACES_SAMPLER, if set, wins)',
    { default: 0.01 },
  ),
};
