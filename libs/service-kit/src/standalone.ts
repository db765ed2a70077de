import { readFileSync } from 'node:fs';
import { EmbeddedBus, provisionPulsar, PulsarBus, type Bus } from '@patternmesh/bus';
import { PulsarAdmin } from '@patternmesh/pulsar';
import { pipelineTopics, stageInputs, type PipelineTopics } from '@patternmesh/pattern';
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
  PULSAR_URL: setting.string('Pulsar service URL (pulsar:// or pulsar+ssl://), with PATTERNMESH_BUS=pulsar', {
    default: 'pulsar://127.0.0.1:6650',
  }),
  PULSAR_ADMIN_URL: setting.url('Pulsar admin REST URL, for provisioning', {
    default: 'http://127.0.0.1:8080',
  }),
  PULSAR_AUTH_TOKEN: setting.string('JWT for Pulsar token authentication; empty for none', {
    default: '',
    secret: true,
  }),
  PULSAR_TLS_CA_FILE: setting.string(
    'PEM file of the CA that signed the broker certificate (pulsar+ssl://)',
    { default: '' },
  ),
  PATTERNMESH_PULSAR_PROVISION: setting.bool(
    'create tenants, namespaces, retention and stage subscriptions at start-up (local runs; the chart uses a Job)',
    { default: false },
  ),
  PATTERNMESH_PROVISION_TENANTS: setting.string(
    'comma-separated customer tenants whose <tenant>/patterns namespaces provisioning creates (besides those of PATTERNMESH_API_KEYS where the process has them)',
    { default: '' },
  ),
};

/**
 * The bus a process uses, from its config. With Pulsar and provisioning on, the tenants, namespaces
 * and stage subscriptions exist before this returns, so nothing published afterwards is lost.
 */
export async function connectBus(
  config: ConfigOf<typeof busSettings> & { readonly PATTERNMESH_TOPIC_TENANT: string },
  logger: Logger,
  provisioning: { tenants: readonly string[] } = { tenants: [] },
): Promise<Bus> {
  if (config.PATTERNMESH_BUS === 'embedded') return new EmbeddedBus();
  const auth = config.PULSAR_AUTH_TOKEN ? { authToken: config.PULSAR_AUTH_TOKEN } : {};
  if (config.PATTERNMESH_PULSAR_PROVISION) {
    const admin = new PulsarAdmin({ url: config.PULSAR_ADMIN_URL, ...auth });
    const topics = pipelineTopics(config.PATTERNMESH_TOPIC_TENANT);
    const named = config.PATTERNMESH_PROVISION_TENANTS.split(',')
      .map((t) => t.trim())
      .filter(Boolean);
    const done = await provisionPulsar(admin, {
      topics,
      tenants: [...new Set([...provisioning.tenants, ...named])],
      stageSubscriptions: stageInputs(topics),
    });
    logger.info({ provisioned: done.length }, 'Pulsar provisioned');
  }
  const tls = config.PULSAR_TLS_CA_FILE ? { tls: { ca: readFileSync(config.PULSAR_TLS_CA_FILE) } } : {};
  logger.info({ serviceUrl: config.PULSAR_URL }, 'connecting to Pulsar');
  return PulsarBus.connect({ serviceUrl: config.PULSAR_URL, ...auth, ...tls });
}

export interface StandaloneContext<S extends Record<string, Setting<unknown>>> {
  readonly config: ConfigOf<S> & ConfigOf<typeof commonSettings> & ConfigOf<typeof busSettings>;
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
  options: {
    /** Customer tenants this service knows (the gateway: its API keys'), for provisioning their lanes. */
    tenants?: (config: StandaloneContext<S>['config']) => readonly string[];
  } = {},
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
  if (config.PATTERNMESH_BUS === 'embedded') {
    logger.warn(
      'embedded bus: this process only talks to itself; use the all-in-one (npm start) or PATTERNMESH_BUS=pulsar',
    );
  }
  const bus = await connectBus(config, logger, { tenants: [...new Set(options.tenants?.(config) ?? [])] });
  const module = build({ config, logger, bus, topics: pipelineTopics(config.PATTERNMESH_TOPIC_TENANT) });
  const host = await startHost({
    logger,
    modules: [module],
    host: config.PATTERNMESH_HTTP_HOST,
    httpPort: config.PATTERNMESH_HTTP_PORT,
    grpcPort: config.PATTERNMESH_GRPC_PORT,
    shutdownDelayMs: config.PATTERNMESH_SHUTDOWN_DELAY_MS,
    onStopped: () => bus.close(),
  });
  exitOnSignals(logger, host.stop);
  logger.info({ httpPort: host.httpPort, grpcPort: host.grpcPort }, `${name} listening`);
}
