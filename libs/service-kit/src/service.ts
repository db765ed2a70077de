import type { Bus } from '@patternmesh/bus';
import { busSettings, connectBus } from '@patternmesh/bus-factory';
import {
  ConfigError,
  loadConfig,
  redactConfig,
  processEnvironment,
  setting,
  type ConfigOf,
  type Setting,
} from '@patternmesh/config';
import { pipelineTopics, type PipelineTopics } from '@patternmesh/pattern';
import type { StageLoadSnapshot } from '@patternmesh/telemetry';
import { startHost, type RunningHost, type ServiceModule } from './host';
import { exitOnSignals } from './lifecycle';
import { createLogger, type Logger } from './logger';
import { commonSettings } from './settings';

type Settings = Record<string, Setting<unknown>>;

/** Settings of the host itself, which every process has whatever services it runs. */
export const hostSettings = {
  ...commonSettings,
  ...busSettings,
  PATTERNMESH_PROVISION_TENANTS: setting.string(
    "comma-separated customer tenants whose <tenant>/patterns namespaces provisioning creates (besides those the services declare, e.g. the API keys' tenants)",
    { default: '' },
  ),
};

export type HostConfig = ConfigOf<typeof hostSettings>;

/** What a service needs from the process that hosts it, derived from its own settings. */
export interface HostNeeds {
  /** Largest HTTP request body, bytes (default 1 MiB); larger ones get 413 PAYLOAD_TOO_LARGE. */
  readonly httpBodyLimitBytes?: number;
  /** Largest gRPC message received, bytes (default 4 MiB); larger ones get RESOURCE_EXHAUSTED. */
  readonly grpcMaxMessageBytes?: number;
  /** Customer tenants whose lane namespaces must exist (provisioning creates them). */
  readonly tenants?: readonly string[];
}

/** What a service's `build` gets from its host. */
export interface ServiceContext<S extends Settings> {
  readonly config: ConfigOf<S> & HostConfig;
  readonly logger: Logger;
  readonly bus: Bus;
  readonly topics: PipelineTopics;
  /** Load figures of every stage in this process (all of them in the all-in-one; its own when apart). */
  readonly localLoad: () => StageLoadSnapshot[];
}

/**
 * One service: its name, its settings schema, what it needs from its host, and how to build its
 * module. The standalone runner, the all-in-one and the CLI all start services from definitions,
 * so a setting or a host need declared here applies however the service is run.
 */
export interface ServiceDefinition<S extends Settings = Settings> {
  readonly name: string;
  readonly summary: string;
  readonly settings: S;
  // Method syntax on purpose: a definition typed by its own settings is usable where any is expected.
  host?(config: ConfigOf<S>): HostNeeds;
  build(context: ServiceContext<S>): ServiceModule;
}

/** Declares a service (typed by its settings schema). */
export function defineService<S extends Settings>(definition: ServiceDefinition<S>): ServiceDefinition<S> {
  return definition;
}

/** The merged schema of a set of services and their host: the one place schemas are combined. */
export function settingsOf(definitions: readonly ServiceDefinition<Settings>[]): Settings {
  return Object.assign({}, hostSettings, ...definitions.map((d) => d.settings)) as Settings;
}

/** Validates every setting of the services and the host at once; ConfigError lists every problem. */
export function loadServicesConfig(
  definitions: readonly ServiceDefinition<Settings>[],
  env?: Readonly<Record<string, string | undefined>>,
): HostConfig & Record<string, unknown> {
  return loadConfig(settingsOf(definitions), env) as HostConfig & Record<string, unknown>;
}

/** The host needs of several services in one process: the largest limits, every tenant. */
export function combinedNeeds(
  definitions: readonly ServiceDefinition<Settings>[],
  config: HostConfig & Record<string, unknown>,
): Required<HostNeeds> {
  const needs = definitions.map((d) => d.host?.(config as never) ?? {});
  const named = config.PATTERNMESH_PROVISION_TENANTS.split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  const largest = (pick: (n: HostNeeds) => number | undefined, fallback: number): number =>
    Math.max(0, ...needs.map((n) => pick(n) ?? 0)) || fallback;
  return {
    httpBodyLimitBytes: largest((n) => n.httpBodyLimitBytes, 1024 * 1024),
    grpcMaxMessageBytes: largest((n) => n.grpcMaxMessageBytes, 4 * 1024 * 1024),
    tenants: [...new Set([...needs.flatMap((n) => n.tenants ?? []), ...named])],
  };
}

export interface StartServicesOptions {
  readonly config: HostConfig & Record<string, unknown>;
  readonly logger: Logger;
  /**
   * Defaults to the bus the config names (connected, and provisioned where asked). Either way the
   * services own it from here: it is closed when they stop, or when starting them fails.
   */
  readonly bus?: Bus;
}

export interface RunningServices extends RunningHost {
  readonly bus: Bus;
  readonly topics: PipelineTopics;
}

/**
 * Starts services in one host: connects the bus (provisioning what they declared), builds each
 * module with a child logger, serves them on one HTTP and one gRPC port with the combined limits.
 */
export async function startServices(
  definitions: readonly ServiceDefinition<Settings>[],
  options: StartServicesOptions,
): Promise<RunningServices> {
  const { config, logger } = options;
  const needs = combinedNeeds(definitions, config);
  const topics = pipelineTopics(config.PATTERNMESH_TOPIC_TENANT);
  const bus = options.bus ?? (await connectBus(config, logger, { topics, tenants: needs.tenants }));
  const modules: ServiceModule[] = [];
  const localLoad = () => modules.flatMap((m) => m.stats ?? []).map((s) => s.snapshot());
  const context = (name: string): ServiceContext<Settings> => ({
    config,
    logger: definitions.length > 1 ? logger.child({ service: name }) : logger,
    bus,
    topics,
    localLoad,
  });
  try {
    for (const definition of definitions) modules.push(definition.build(context(definition.name)));
    const host = await startHost({
      logger,
      modules,
      host: config.PATTERNMESH_HTTP_HOST,
      httpPort: config.PATTERNMESH_HTTP_PORT,
      grpcPort: config.PATTERNMESH_GRPC_PORT,
      httpBodyLimitBytes: needs.httpBodyLimitBytes,
      grpcMaxMessageBytes: needs.grpcMaxMessageBytes,
      shutdownDelayMs: config.PATTERNMESH_SHUTDOWN_DELAY_MS,
      onStopped: () => bus.close(),
    });
    return { ...host, bus, topics };
  } catch (error) {
    // startHost closed the bus already when it got that far; closing twice is harmless.
    await bus.close().catch(() => undefined);
    throw error;
  }
}

export interface RunServicesOptions {
  /** Process name for logs (`ingest-gateway`, `patternmesh`). */
  readonly name: string;
  /** Environment overrides on top of `process.env` (the CLI's `--bus`). */
  readonly overrides?: Readonly<Record<string, string>>;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Told once everything listens (the all-in-one prints its URLs). */
  readonly onListening?: (running: RunningServices, config: HostConfig & Record<string, unknown>) => void;
}

/** Exit codes of a service process: 0 after a clean stop, 1 failure, 2 invalid configuration. */
export const ExitCodes = { ok: 0, failed: 1, invalidConfig: 2 } as const;

/**
 * What every entry point does (each service's main.ts, the all-in-one, `patternmesh start`): load and
 * validate config (every problem listed, then exit 2), connect the bus, start the services, stop
 * gracefully on SIGTERM/SIGINT.
 */
export async function runServices(
  definitions: readonly ServiceDefinition<Settings>[],
  options: RunServicesOptions,
): Promise<RunningServices> {
  let config: HostConfig & Record<string, unknown>;
  try {
    config = loadServicesConfig(definitions, {
      ...(options.env ?? processEnvironment()),
      ...options.overrides,
    });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(
      `${options.name}: invalid configuration:\n${error.problems.map((p) => `  - ${p}`).join('\n')}\n`,
    );
    process.exit(ExitCodes.invalidConfig);
  }
  const logger = createLogger(options.name, { level: config.PATTERNMESH_LOG_LEVEL });
  logger.info(
    { config: redactConfig(settingsOf(definitions), config as never) },
    `starting ${definitions.map((d) => d.name).join(', ')}`,
  );
  if (config.PATTERNMESH_BUS === 'embedded' && definitions.length === 1) {
    logger.warn(
      'embedded bus: this process only talks to itself; use `patternmesh start all` (npm start) or --bus pulsar',
    );
  }
  const running = await startServices(definitions, { config, logger });
  // The forced exit must leave room for the not-ready delay before the drain even starts.
  exitOnSignals(logger, running.stop, config.PATTERNMESH_SHUTDOWN_DELAY_MS + 25_000);
  logger.info({ httpPort: running.httpPort, grpcPort: running.grpcPort }, `${options.name} listening`);
  options.onListening?.(running, config);
  return running;
}
