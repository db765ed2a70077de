import { readFileSync } from 'node:fs';
import type { Bus } from '@patternmesh/bus';
import { DEFAULT_RULES, RuleClassifier, type ClassificationRule } from '@patternmesh/classify';
import { StageSubscriptions, type PipelineTopics } from '@patternmesh/pattern';
import {
  stageModule,
  type ConfigOf,
  type Logger,
  type ServiceModule,
  type stageSettings,
} from '@patternmesh/service-kit';
import { ClassifyStage } from './classify-stage';
import { DecisionMetrics } from './decision-metrics';
import type { classifierSettings } from './config';
import { classifierGrpcService } from './grpc';

export interface ClassifierDeps {
  readonly bus: Bus;
  readonly logger: Logger;
  readonly topics: PipelineTopics;
  readonly config: ConfigOf<typeof classifierSettings> & ConfigOf<typeof stageSettings>;
}

function loadRules(file: string): ClassificationRule[] {
  return file ? (JSON.parse(readFileSync(file, 'utf8')) as ClassificationRule[]) : [...DEFAULT_RULES];
}

/** The classifier as a module: the normalized → classified stage plus its gRPC API. */
export function createClassifier(deps: ClassifierDeps): ServiceModule {
  const file = deps.config.PATTERNMESH_RULES_FILE;
  // Rules compile once, here; a bad expression stops the start-up naming the file, the rule and the position.
  const classifier = new RuleClassifier(loadRules(file), file ? { file } : {});
  const decisions = new DecisionMetrics({
    driftWindowMs: deps.config.PATTERNMESH_CLASSIFY_DRIFT_WINDOW_SECONDS * 1000,
  });
  const stage = new ClassifyStage(deps.topics, classifier, decisions);
  return stageModule(deps, {
    name: 'classifier',
    stage: 'classify',
    topic: deps.topics.normalized,
    subscription: StageSubscriptions.classifier,
    transform: (message) => stage.transform(message),
    grpcServices: [classifierGrpcService(classifier, deps.logger)],
  });
}
