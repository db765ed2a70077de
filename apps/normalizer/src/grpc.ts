import { PatternmeshError } from '@patternmesh/errors';
import { parsePayload, suggestMapping, type Normalizer } from '@patternmesh/normalize';
import {
  NormalizerServiceService,
  type NormalizerServiceServer,
  type NormalizeRequest,
  type NormalizeResponse,
  type SuggestMappingRequest,
  type SuggestMappingResponse,
} from '@patternmesh/proto';
import {
  grpcService,
  unaryHandler,
  type GrpcServiceRegistration,
  type Logger,
} from '@patternmesh/service-kit';

/** Normalize inline (the express lane) and suggest mappings for sources that have none yet. */
export function normalizerGrpcService(normalizer: Normalizer, logger: Logger): GrpcServiceRegistration {
  return grpcService<NormalizerServiceServer>(NormalizerServiceService, {
    normalize: unaryHandler<NormalizeRequest, NormalizeResponse>(logger, async (request) => {
      if (!request.pattern) {
        throw new PatternmeshError('VALIDATION_FAILED', {
          details: [{ field: 'pattern', problem: 'is required' }],
        });
      }
      const outcome = normalizer.normalize(request.pattern);
      if (!outcome.ok) {
        throw new PatternmeshError('PAYLOAD_UNPARSEABLE', {
          message: `${outcome.code}: ${outcome.reason}`,
        });
      }
      return { pattern: outcome.pattern };
    }),
    suggestMapping: unaryHandler<SuggestMappingRequest, SuggestMappingResponse>(logger, async (request) => {
      const records = request.samples.map((sample, i) => {
        const parsed = parsePayload(request.contentType || 'application/json', sample);
        if (!parsed.ok) {
          throw new PatternmeshError('PAYLOAD_UNPARSEABLE', { message: `sample ${i}: ${parsed.reason}` });
        }
        return parsed.record;
      });
      if (records.length === 0) {
        throw new PatternmeshError('VALIDATION_FAILED', {
          details: [{ field: 'samples', problem: 'needs at least one sample' }],
        });
      }
      return { suggestions: suggestMapping(records) };
    }),
  });
}
