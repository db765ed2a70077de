import { readFileSync } from 'node:fs';
import type { Bus } from '@patternmesh/bus';
import { DEFAULT_MAPPINGS, Normalizer, type MappingSpec } from '@patternmesh/normalize';
import { StageSubscriptions, type PipelineTopics } from '@patternmesh/pattern';
import {
  stageModule,
  type ConfigOf,
  type Logger,
  type ServiceModule,
  type stageSettings,
} from '@patternmesh/service-kit';
import type { normalizerSettings } from './config';
import { normalizerGrpcService } from './grpc';
import { NormalizeStage } from './normalize-stage';

export interface NormalizerDeps {
  readonly bus: Bus;
  readonly logger: Logger;
  readonly topics: PipelineTopics;
  readonly config: ConfigOf<typeof normalizerSettings> & ConfigOf<typeof stageSettings>;
}

function loadMappings(file: string): MappingSpec[] {
  return file ? (JSON.parse(readFileSync(file, 'utf8')) as MappingSpec[]) : [...DEFAULT_MAPPINGS];
}

/** The normalizer as a module: the raw → normalized stage plus its gRPC API. */
export function createNormalizer(deps: NormalizerDeps): ServiceModule {
  const normalizer = new Normalizer(loadMappings(deps.config.PATTERNMESH_MAPPINGS_FILE));
  const stage = new NormalizeStage(deps.topics, normalizer, deps.logger);
  return stageModule(deps, {
    name: 'normalizer',
    stage: 'normalize',
    topic: deps.topics.raw,
    subscription: StageSubscriptions.normalizer,
    transform: (message) => stage.transform(message),
    grpcServices: [normalizerGrpcService(normalizer, deps.logger)],
  });
}
