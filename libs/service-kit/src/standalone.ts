import { EmbeddedBus, type Bus } from '@patternmesh/bus';
import { pipelineTopics, type PipelineTopics } from '@patternmesh/pattern';
import { ConfigError, loadConfig, redactConfig, setting, type ConfigOf, type Setting } from './config';
import { startHost } from './host';
import { exitOnSignals } from './lifecycle';
import { createLogger, type Logger } from './logger';
import { commonSettings } from './settings';

export const busSettings = {
  PATTERNMESH_BUS: setting.oneOf(
    'message bus: embedded (in-process, this process only) or pulsar',
    ['embedded', 'pulsar'] as const,
    {
      default: 'embedded',
    },
  ),
};

/** The bus a process uses, from its config. */
export async function connectBus(config: ConfigOf<typeof busSettings>, logger: Logger): Promise<Bus> {
  if (config.PATTERNMESH_BUS === 'embedded') {
    logger.warn(
      'embedded bus: this process only talks to itself; use the all-in-one (npm start) or PATTERNMESH_BUS=pulsar',
    );
    return new EmbeddedBus();
  }
  throw new Error('PATTERNMESH_BUS=pulsar: the Pulsar adapter is not part of this build yet');
}

export interface StandaloneContext<S extends Record<string, Setting<unknown>>> {
  readonly config: ConfigOf<S> & ConfigOf<typeof commonSettings>;
  readonly logger: Logger;
  readonly bus: Bus;
  readonly topics: PipelineTopics;
}

/**
 * What every service's main.ts does: load and validate config (every problem listed, then exit 1),
 * connect the bus, build the module, serve it, stop gracefully on SIGTERM/SIGINT.
 */
export async function runStandalone<S extends Record<string, Setting<unknown>>>(
  name: string,
  settings: S,
  build: (context: StandaloneContext<S>) => Parameters<typeof startHost>[0]['modules'][number],
): Promise<void> {
  const baseSchema = { ...commonSettings, ...busSettings };
  const problems: string[] = [];
  const attempt = <T>(load: () => T): T | undefined => {
    try {
      return load();
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(...error.problems);
      return undefined;
    }
  };
  // Both halves are validated before exiting, so one run lists every problem.
  const base = attempt(() => loadConfig(baseSchema));
  const own = attempt(() => loadConfig(settings));
  if (!base || !own) {
    process.stderr.write(`${name}: invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}\n`);
    process.exit(1);
  }
  const config = { ...base, ...own };
  const logger = createLogger(name, { level: config.PATTERNMESH_LOG_LEVEL });
  logger.info(
    { config: { ...redactConfig(baseSchema, base), ...redactConfig(settings, own) } },
    `starting ${name}`,
  );
  const bus = await connectBus(config, logger);
  const module = build({ config, logger, bus, topics: pipelineTopics(config.PATTERNMESH_TOPIC_TENANT) });
  const host = await startHost({
    logger,
    modules: [module],
    host: config.PATTERNMESH_HTTP_HOST,
    httpPort: config.PATTERNMESH_HTTP_PORT,
    grpcPort: config.PATTERNMESH_GRPC_PORT,
    onStopped: () => bus.close(),
  });
  exitOnSignals(logger, host.stop);
  logger.info({ httpPort: host.httpPort, grpcPort: host.grpcPort }, `${name} listening`);
}
