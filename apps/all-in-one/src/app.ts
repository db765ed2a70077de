import { createAutoscaler, loadSourceForBus } from '@patternmesh/autoscaler';
import { EmbeddedBus, type Bus } from '@patternmesh/bus';
import { createClassifier } from '@patternmesh/classifier';
import { ApiKeyRegistry } from '@patternmesh/ingest';
import { createIngestGateway } from '@patternmesh/ingest-gateway';
import { createNormalizer } from '@patternmesh/normalizer';
import { pipelineTopics } from '@patternmesh/pattern';
import { createRouter } from '@patternmesh/router';
import {
  startHost,
  type ConfigOf,
  type Logger,
  type RunningHost,
  type ServiceModule,
} from '@patternmesh/service-kit';
import type { StageObservation } from '@patternmesh/forecast';
import type { allInOneSettings } from './config';
import { createTail } from './tail';

export interface AllInOneOptions {
  readonly config: ConfigOf<typeof allInOneSettings>;
  readonly logger: Logger;
  /** Defaults to a new embedded bus. */
  readonly bus?: Bus;
  readonly onObservation?: (observations: StageObservation[]) => void;
}

export interface AllInOne extends RunningHost {
  readonly bus: Bus;
}

/**
 * All five services in one process over one bus, behind one HTTP port and one gRPC port, plus the
 * tail endpoint. Stages talk only through the bus, exactly as they do when deployed apart.
 */
export async function startAllInOne(options: AllInOneOptions): Promise<AllInOne> {
  const { config, logger } = options;
  const bus = options.bus ?? new EmbeddedBus();
  const topics = pipelineTopics(config.PATTERNMESH_TOPIC_TENANT);
  const pipeline: ServiceModule[] = [
    createIngestGateway({ bus, logger: logger.child({ service: 'ingest-gateway' }), topics, config }),
    createNormalizer({ bus, logger: logger.child({ service: 'normalizer' }), topics, config }),
    createClassifier({ bus, logger: logger.child({ service: 'classifier' }), topics, config }),
    createRouter({ bus, logger: logger.child({ service: 'router' }), topics, config }),
  ];
  const telemetry = async () => pipeline.flatMap((m) => m.stats ?? []).map((s) => s.snapshot());
  // On Pulsar the autoscaler also sees each stage's input backlog, as it does when deployed apart.
  const loadSource = loadSourceForBus(telemetry, bus.kind, config, topics);
  const modules: ServiceModule[] = [
    ...pipeline,
    createAutoscaler({
      logger: logger.child({ service: 'autoscaler' }),
      source: loadSource,
      config,
      ...(options.onObservation ? { onObservation: options.onObservation } : {}),
    }),
    createTail(
      bus,
      topics,
      new ApiKeyRegistry(config.PATTERNMESH_API_KEYS, [config.PATTERNMESH_TOPIC_TENANT]),
    ),
  ];
  const host = await startHost({
    logger,
    modules,
    host: config.PATTERNMESH_HTTP_HOST,
    httpPort: config.PATTERNMESH_HTTP_PORT,
    grpcPort: config.PATTERNMESH_GRPC_PORT,
    bodyLimit: config.PATTERNMESH_MAX_BODY_BYTES,
    shutdownDelayMs: config.PATTERNMESH_SHUTDOWN_DELAY_MS,
    onStopped: () => bus.close(),
  });
  return { ...host, bus };
}
