import type * as grpc from '@grpc/grpc-js';
import {
  TelemetryServiceService,
  type GetLoadResponse,
  type TelemetryServiceServer,
} from '@patternmesh/proto';
import type { StageStats } from '@patternmesh/telemetry';
import type { FastifyInstance } from 'fastify';
import {
  createGrpcServer,
  grpcService,
  listenGrpc,
  shutdownGrpc,
  unaryHandler,
  type GrpcServiceRegistration,
} from './grpc';
import { createHttpServer } from './http';
import type { Logger } from './logger';
import { Readiness } from './readiness';

/**
 * One service's contribution to a process: routes, gRPC services, background work and load figures.
 * A standalone service runs one module; the all-in-one runs all five in one host.
 */
export interface ServiceModule {
  readonly name: string;
  registerHttp?(app: FastifyInstance): void;
  readonly grpcServices?: readonly GrpcServiceRegistration[];
  /** Starts background work (subscriptions). Called after servers are built, before they listen. */
  start(): Promise<void>;
  /** Stops taking new work and waits for in-flight work to settle. */
  drain(): Promise<void>;
  readonly stats?: readonly StageStats[];
  /** Readiness of the module's own work (e.g. its subscription still consuming). */
  ready?(): boolean;
}

export interface HostOptions {
  readonly logger: Logger;
  readonly modules: readonly ServiceModule[];
  readonly host?: string;
  readonly httpPort: number;
  readonly grpcPort: number;
  /** Largest HTTP request body, bytes (default 1 MiB). */
  readonly httpBodyLimitBytes?: number;
  /** Largest gRPC message received, bytes (default 4 MiB). */
  readonly grpcMaxMessageBytes?: number;
  /** Runs last on stop, after every module drained: close the bus here. */
  readonly onStopped?: () => Promise<void>;
  readonly shutdownGraceMs?: number;
  /** Time between turning not-ready and closing listeners (endpoints and proxies catch up). */
  readonly shutdownDelayMs?: number;
}

export interface RunningHost {
  readonly http: FastifyInstance;
  readonly grpc: grpc.Server;
  readonly httpPort: number;
  readonly grpcPort: number;
  readonly readiness: Readiness;
  stop(): Promise<void>;
}

function telemetryService(modules: readonly ServiceModule[], logger: Logger): GrpcServiceRegistration {
  return grpcService<TelemetryServiceServer>(TelemetryServiceService, {
    getLoad: unaryHandler(logger, async (): Promise<GetLoadResponse> => ({
      observedAt: new Date(),
      stages: modules.flatMap((m) => m.stats ?? []).map((s) => s.snapshot()),
    })),
  });
}

/**
 * Builds HTTP and gRPC servers for the modules, starts the modules, then listens. Stopping runs in
 * the order that loses nothing: not-ready → close listeners (in-flight requests finish) → drain
 * modules in pipeline order → `onStopped` (close the bus).
 */
export async function startHost(options: HostOptions): Promise<RunningHost> {
  const { logger, modules } = options;
  const readiness = new Readiness();
  const http = createHttpServer({
    logger,
    readiness,
    ...(options.httpBodyLimitBytes ? { bodyLimit: options.httpBodyLimitBytes } : {}),
  });
  for (const module of modules) module.registerHttp?.(http);
  const grpcServer = createGrpcServer({
    logger,
    readiness,
    services: [...modules.flatMap((m) => m.grpcServices ?? []), telemetryService(modules, logger)],
    ...(options.grpcMaxMessageBytes ? { maxReceiveMessageLength: options.grpcMaxMessageBytes } : {}),
  });

  for (const module of modules) {
    if (module.ready) readiness.addCheck(module.name, () => module.ready!());
  }
  const started: ServiceModule[] = [];
  let httpPort: number;
  let grpcPort: number;
  try {
    for (const module of modules) {
      await module.start();
      started.push(module);
    }
    const host = options.host ?? '127.0.0.1';
    await http.listen({ host, port: options.httpPort });
    const address = http.server.address();
    httpPort = typeof address === 'object' && address ? address.port : options.httpPort;
    grpcPort = await listenGrpc(grpcServer, host, options.grpcPort);
  } catch (error) {
    // A host that cannot start must not linger half up (answering /healthz, holding subscriptions):
    // undo what started, newest first, and let the caller exit.
    logger.error({ err: error }, 'start-up failed: stopping what had started');
    grpcServer.forceShutdown();
    await http.close().catch(() => undefined);
    for (const module of started.reverse()) await module.drain().catch(() => undefined);
    await options.onStopped?.().catch(() => undefined);
    throw error;
  }
  readiness.markStarted();
  // Checks (a stalled subscription) change on their own: re-evaluate so gRPC health follows /readyz.
  readiness.watch();

  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopped ??= (async () => {
      readiness.markStopping();
      readiness.unwatch();
      if (options.shutdownDelayMs)
        await new Promise((resolve) => setTimeout(resolve, options.shutdownDelayMs));
      const grace = options.shutdownGraceMs ?? 10_000;
      await Promise.all([http.close(), shutdownGrpc(grpcServer, grace)]);
      try {
        for (const module of modules) {
          await module
            .drain()
            .catch((error: unknown) => logger.error({ err: error, module: module.name }, 'drain failed'));
        }
      } finally {
        await options.onStopped?.();
      }
    })());

  return { http, grpc: grpcServer, httpPort, grpcPort, readiness, stop };
}
