import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { ReflectionService } from '@grpc/reflection';
import { asPatternmeshError, isPatternmeshError, PatternmeshError, toPublicError } from '@patternmesh/errors';
import { ErrorMetadataKeys } from '@patternmesh/pattern';
import { PROTO_FILES, PROTO_ROOT } from '@patternmesh/proto';
import { HealthImplementation } from 'grpc-health-check';
import type { Logger } from './logger';
import type { Readiness } from './readiness';

export interface GrpcServiceRegistration {
  /** Fully qualified name for grpc.health.v1, e.g. "patternmesh.ingest.v1.IngestService". */
  readonly name: string;
  readonly definition: grpc.ServiceDefinition;
  readonly implementation: grpc.UntypedServiceImplementation;
}

/**
 * A gRPC service implemented against ts-proto's generated server interface: name the interface,
 * `grpcService<IngestServiceServer>(IngestServiceService, {...})`, and a missing method or a wrong
 * request/response type is a compile error. The fully qualified name comes from the definition.
 */
export function grpcService<Server extends grpc.UntypedServiceImplementation>(
  definition: grpc.ServiceDefinition<Server>,
  implementation: Server,
): GrpcServiceRegistration {
  const first = Object.values(definition)[0] as grpc.MethodDefinition<unknown, unknown> | undefined;
  const name = first?.path.split('/')[1];
  if (!name) throw new Error('a gRPC service definition needs at least one method');
  return { name, definition: definition as grpc.ServiceDefinition, implementation };
}

export interface GrpcServerOptions {
  readonly logger: Logger;
  readonly readiness: Readiness;
  readonly services: readonly GrpcServiceRegistration[];
  readonly maxReceiveMessageLength?: number;
}

/** Metadata keys that carry the catalog code next to the gRPC status. */
export const GrpcErrorMetadata = ErrorMetadataKeys;

/** A grpc-js server error from anything thrown: the catalog decides status and text. */
export function toGrpcError(error: unknown): Partial<grpc.StatusObject> {
  const mapped = asPatternmeshError(error);
  const body = toPublicError(mapped);
  const metadata = new grpc.Metadata();
  metadata.set(GrpcErrorMetadata.code, body.code);
  metadata.set(GrpcErrorMetadata.retryable, String(body.retryable));
  if (mapped.retryAfterSeconds !== undefined)
    metadata.set(GrpcErrorMetadata.retryAfter, String(mapped.retryAfterSeconds));
  const details = body.details?.length
    ? `${body.message} (${body.details.map((d) => `${d.field ?? ''}: ${d.problem}`).join('; ')})`
    : body.message;
  return { code: mapped.grpcStatus as grpc.status, details, metadata };
}

/**
 * Wraps a promise-returning unary handler: resolves become responses, throws become catalog
 * statuses, and unknown failures are logged here and reach the client as INTERNAL without detail.
 */
export function unaryHandler<Req, Res>(
  logger: Logger,
  handle: (request: Req, call: grpc.ServerUnaryCall<Req, Res>) => Promise<Res>,
): grpc.handleUnaryCall<Req, Res> {
  return (call, callback) => {
    handle(call.request, call).then(
      (response) => callback(null, response),
      (error: unknown) => {
        if (!isPatternmeshError(error) || error.httpStatus >= 500)
          logger.error({ err: error }, 'gRPC call failed');
        callback(toGrpcError(error));
      },
    );
  };
}

/** First value of a metadata key, as a string. */
export function metadataValue(metadata: grpc.Metadata, key: string): string | undefined {
  const value = metadata.get(key)[0];
  return value === undefined ? undefined : value.toString();
}

let reflectionDefinition: protoLoader.PackageDefinition | undefined;

/**
 * A gRPC server with grpc.health.v1 (following readiness) and server reflection registered next to
 * the app's services. It does not listen; `listenGrpc` binds it.
 */
export function createGrpcServer(options: GrpcServerOptions): grpc.Server {
  const server = new grpc.Server({
    'grpc.max_receive_message_length': options.maxReceiveMessageLength ?? 4 * 1024 * 1024,
  });
  for (const service of options.services) server.addService(service.definition, service.implementation);

  const health = new HealthImplementation({ '': 'NOT_SERVING' });
  const names = ['', ...options.services.map((s) => s.name)];
  options.readiness.onChange((ready) => {
    for (const name of names) health.setStatus(name, ready ? 'SERVING' : 'NOT_SERVING');
  });
  health.addToServer(server);

  reflectionDefinition ??= protoLoader.loadSync([...PROTO_FILES], { includeDirs: [PROTO_ROOT] });
  new ReflectionService(reflectionDefinition).addToServer(server);
  return server;
}

/** Binds the server and resolves with the port actually bound (port 0 picks a free one). */
export function listenGrpc(server: grpc.Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.bindAsync(`${host}:${port}`, grpc.ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    );
  });
}

/** Lets in-flight calls finish (tryShutdown), then forces the rest after the grace period. */
export function shutdownGrpc(server: grpc.Server, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      server.forceShutdown();
      resolve();
    }, graceMs);
    server.tryShutdown(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

export { PatternmeshError };
