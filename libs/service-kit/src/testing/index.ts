import type * as grpc from '@grpc/grpc-js';
import type { Bus } from '@patternmesh/bus';
import { createLogger } from '../logger';
import { loadServicesConfig, startServices, type RunningServices, type ServiceDefinition } from '../service';

/**
 * Starts services in-process as their hosts would, on free ports with a silent logger: `env` is the
 * environment they would see (validated by their real schemas). The caller stops the result.
 */
export function startServicesForTest(
  definitions: readonly ServiceDefinition[],
  env: Readonly<Record<string, string>> = {},
  options: { bus?: Bus } = {},
): Promise<RunningServices> {
  const config = loadServicesConfig(definitions, {
    PATTERNMESH_HTTP_PORT: '0',
    PATTERNMESH_GRPC_PORT: '0',
    ...env,
  });
  return startServices(definitions, {
    config,
    logger: createLogger('test', { level: 'silent' }),
    ...(options.bus ? { bus: options.bus } : {}),
  });
}

type UnaryMethod<Req, Res> = (
  request: Req,
  metadata: grpc.Metadata,
  options: Partial<grpc.CallOptions>,
  callback: (error: grpc.ServiceError | null, response: Res) => void,
) => unknown;

/**
 * A generated client's unary method as a promise, with a deadline (as every client call has one):
 * `await unary(client, client.classify, request, metadata)`.
 */
export function unary<Req, Res>(
  client: grpc.Client,
  method: UnaryMethod<Req, Res>,
  request: Req,
  metadata: grpc.Metadata,
  deadlineMs = 10_000,
): Promise<Res> {
  return new Promise<Res>((resolve, reject) =>
    method.call(client, request, metadata, { deadline: Date.now() + deadlineMs }, (error, response) =>
      error ? reject(error) : resolve(response),
    ),
  );
}
