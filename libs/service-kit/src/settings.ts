import { setting } from '@patternmesh/config';
import { telemetrySettings } from '@patternmesh/telemetry';

/** Settings every process has: where it listens, the bus, logging. */
export const commonSettings = {
  PATTERNMESH_HTTP_HOST: setting.string('address the HTTP and gRPC servers bind', { default: '127.0.0.1' }),
  PATTERNMESH_HTTP_PORT: setting.port('HTTP port (REST, health, metrics); 0 picks a free port', {
    default: 7480,
  }),
  PATTERNMESH_GRPC_PORT: setting.port('gRPC port; 0 picks a free port', { default: 7481 }),
  PATTERNMESH_LOG_LEVEL: setting.oneOf(
    'log level',
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const,
    {
      default: 'info',
    },
  ),
  PATTERNMESH_SHUTDOWN_DELAY_MS: setting.int(
    'on SIGTERM, how long to stay up not-ready before closing listeners, so load balancers and the mesh stop routing first (Kubernetes: ~5000)',
    { default: 0, min: 0, max: 120_000 },
  ),
  PATTERNMESH_TOPIC_TENANT: setting.string('Pulsar tenant of the pipeline topics', {
    default: 'patternmesh',
    pattern: /^[A-Za-z0-9_.-]+$/,
  }),
  // Read first by the telemetry bootstrap (node --import), listed here so it is validated and documented.
  ...telemetrySettings,
};

/** Settings of a consuming stage (normalizer, classifier, router). */
export const stageSettings = {
  PATTERNMESH_STAGE_CONCURRENCY: setting.int('messages one replica processes at once', {
    default: 64,
    min: 1,
    max: 10_000,
  }),
  PATTERNMESH_MAX_DELIVERIES: setting.int(
    'deliveries before a failing message goes to the dead-letter topic',
    {
      default: 5,
      min: 1,
    },
  ),
  PATTERNMESH_RETRY_DELAY_MS: setting.int('delay before a failed message is delivered again, ms', {
    default: 1000,
    min: 0,
  }),
};
