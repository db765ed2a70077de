import type * as grpc from '@grpc/grpc-js';
import { PatternmeshError } from '@patternmesh/errors';
import { presentedApiKey } from '@patternmesh/pattern';
import {
  IngestServiceService,
  type IngestServiceServer,
  type PublishBatchRequest,
  type PublishBatchResponse,
  type PublishRequest,
  type PublishResponse,
  type PublishStreamRequest,
  type PublishStreamResponse,
} from '@patternmesh/proto';
import {
  grpcService,
  metadataValue,
  toGrpcError,
  unaryHandler,
  type GrpcServiceRegistration,
  type Logger,
} from '@patternmesh/service-kit';
import type { GatewayCore } from './gateway';

/** Unacknowledged publishes one PublishStream may have before the gateway stops reading it. */
const MAX_PENDING_PER_STREAM = 256;

const apiKeyFromMetadata = (metadata: grpc.Metadata): string | undefined =>
  presentedApiKey((key) => metadataValue(metadata, key));

function requirePattern<T>(value: T | undefined): T {
  if (value === undefined) {
    throw new PatternmeshError('VALIDATION_FAILED', {
      message: 'The request has no pattern.',
      details: [{ field: 'pattern', problem: 'is required' }],
    });
  }
  return value;
}

/**
 * gRPC Ingest API. The API key travels in `x-api-key` metadata (or `authorization: Bearer`). The
 * stream acknowledges each message by correlation id as soon as the bus accepted it, so acks can
 * arrive out of order; a bad message gets an error ack and the stream goes on.
 */
export function ingestGrpcService(core: GatewayCore, logger: Logger): GrpcServiceRegistration {
  return grpcService<IngestServiceServer>(IngestServiceService, {
    publish: unaryHandler<PublishRequest, PublishResponse>(logger, async (request, call) => {
      const tenant = core.authenticate(apiKeyFromMetadata(call.metadata), 'grpc');
      return { id: await core.publish(requirePattern(request.pattern), tenant, 'grpc') };
    }),
    publishBatch: unaryHandler<PublishBatchRequest, PublishBatchResponse>(logger, async (request, call) => {
      const tenant = core.authenticate(apiKeyFromMetadata(call.metadata), 'grpc');
      return { results: await core.publishBatch(request.patterns, tenant, 'grpc') };
    }),
    publishStream: (call: grpc.ServerDuplexStream<PublishStreamRequest, PublishStreamResponse>) => {
      let tenant: string;
      try {
        tenant = core.authenticate(apiKeyFromMetadata(call.metadata), 'grpc');
      } catch (error) {
        call.emit('error', toGrpcError(error));
        return;
      }
      let pending = 0;
      let inputEnded = false;
      const finishIfDone = (): void => {
        if (inputEnded && pending === 0) call.end();
      };
      call.on('data', (request: PublishStreamRequest) => {
        pending++;
        // Flow control: stop reading while this many publishes are unacknowledged, so a fast client
        // is slowed down by HTTP/2 back-pressure instead of filling memory.
        if (pending >= MAX_PENDING_PER_STREAM) call.pause();
        void core
          .settle(() => core.publish(requirePattern(request.pattern), tenant, 'grpc'))
          .then((result) => {
            if (!call.cancelled) call.write({ correlationId: request.correlationId, result });
          })
          .finally(() => {
            pending--;
            if (pending === MAX_PENDING_PER_STREAM - 1) call.resume();
            finishIfDone();
          });
      });
      call.on('end', () => {
        inputEnded = true;
        finishIfDone();
      });
      call.on('error', (error) => logger.debug({ err: error }, 'publish stream ended by client'));
    },
  });
}
