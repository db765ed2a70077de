import type { Bus } from '@patternmesh/bus';
import { ApiKeyRegistry, DEFAULT_LIMITS, TenantRateLimiter } from '@patternmesh/ingest';
import type { PipelineTopics } from '@patternmesh/pattern';
import type { ConfigOf, Logger, ServiceModule } from '@patternmesh/service-kit';
import type { gatewaySettings } from './config';
import { GatewayCore } from './gateway';
import { ingestGrpcService } from './grpc';
import { registerRestRoutes } from './rest';

export interface IngestGatewayDeps {
  readonly bus: Bus;
  readonly logger: Logger;
  readonly topics: PipelineTopics;
  readonly config: ConfigOf<typeof gatewaySettings>;
}

/** The ingest gateway as a module: REST and gRPC intake, publishing to `raw`. It never listens itself. */
export function createIngestGateway(deps: IngestGatewayDeps): ServiceModule {
  const core = new GatewayCore({
    bus: deps.bus,
    logger: deps.logger,
    topics: deps.topics,
    // A key must never map to the pipeline's own tenant: its topics carry every tenant's patterns.
    apiKeys: new ApiKeyRegistry(deps.config.PATTERNMESH_API_KEYS, [deps.topics.tenant]),
    limits: { ...DEFAULT_LIMITS, maxPayloadBytes: deps.config.PATTERNMESH_MAX_PAYLOAD_BYTES },
    maxBatchItems: deps.config.PATTERNMESH_MAX_BATCH_ITEMS,
    rateLimiter: new TenantRateLimiter(deps.config.PATTERNMESH_TENANT_RATE_LIMIT),
  });
  return {
    name: 'ingest-gateway',
    registerHttp: (app) => registerRestRoutes(app, core),
    grpcServices: [ingestGrpcService(core, deps.logger)],
    stats: [core.stats],
    start: async () => undefined,
    // Intake stops when the host closes its listeners; publishes in flight finish before that resolves.
    drain: async () => undefined,
  };
}
