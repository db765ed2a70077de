import type { RuleClassifier } from '@patternmesh/classify';
import { PatternmeshError } from '@patternmesh/errors';
import {
  ClassifierServiceService,
  type ClassifierServiceServer,
  type ClassifyBatchRequest,
  type ClassifyBatchResponse,
  type ClassifyRequest,
  type ClassifyResponse,
} from '@patternmesh/proto';
import {
  grpcService,
  unaryHandler,
  type GrpcServiceRegistration,
  type Logger,
} from '@patternmesh/service-kit';

/** Classify inline, one or many (the express lane and previews). */
export function classifierGrpcService(classifier: RuleClassifier, logger: Logger): GrpcServiceRegistration {
  return grpcService<ClassifierServiceServer>(ClassifierServiceService, {
    classify: unaryHandler<ClassifyRequest, ClassifyResponse>(logger, async (request) => {
      if (!request.pattern) {
        throw new PatternmeshError('VALIDATION_FAILED', {
          details: [{ field: 'pattern', problem: 'is required' }],
        });
      }
      return { pattern: { ...request.pattern, classification: classifier.classify(request.pattern) } };
    }),
    classifyBatch: unaryHandler<ClassifyBatchRequest, ClassifyBatchResponse>(logger, async (request) => ({
      patterns: request.patterns.map((p) => ({ ...p, classification: classifier.classify(p) })),
    })),
  });
}
