import { busSettings, provisionBus } from '@patternmesh/bus-factory';
import { pipelineTopics } from '@patternmesh/pattern';
import { combinedNeeds, createLogger, type ServiceDefinition } from '@patternmesh/service-kit';
import { Command, Option } from 'commander';
import { loadCliConfig } from './cli-config';
import { SERVICES, UsageError } from './start';

/**
 * `patternmesh provision`: create on the bus what the five services need (tenant, namespaces, topics,
 * stage subscriptions and their dead-letter topics, retention, de-duplication, compaction), then exit.
 * Idempotent: the chart's pre-install/pre-upgrade hook Job runs it on every upgrade. Settings come from
 * the environment, validated exactly as the services validate theirs.
 */
export function provisionCommand(): Command {
  return new Command('provision')
    .description('create the Pulsar tenant, namespaces, topics and policies the services need, then exit')
    .addOption(
      new Option('--bus <bus>', 'message bus (default: PATTERNMESH_BUS)').choices(
        busSettings.PATTERNMESH_BUS.values ?? [],
      ),
    )
    .addHelpText(
      'after',
      [
        '',
        'Reads PULSAR_ADMIN_URL, PULSAR_AUTH_TOKEN and PATTERNMESH_TOPIC_TENANT; lane namespaces',
        '(<tenant>/patterns) are created for PATTERNMESH_PROVISION_TENANTS and the tenants of PATTERNMESH_API_KEYS.',
        '',
        'Example:',
        '  PULSAR_ADMIN_URL=http://127.0.0.1:8080 patternmesh provision --bus pulsar',
      ].join('\n'),
    )
    .action(async (options: { bus?: string }) => {
      const definitions = Object.values(SERVICES) as ServiceDefinition[];
      const config = loadCliConfig(definitions, options.bus);
      if (config.PATTERNMESH_BUS !== 'pulsar') {
        throw new UsageError(
          'provision needs the Pulsar bus: pass --bus pulsar or set PATTERNMESH_BUS=pulsar',
        );
      }
      const logger = createLogger('provision', { level: config.PATTERNMESH_LOG_LEVEL });
      const topics = pipelineTopics(config.PATTERNMESH_TOPIC_TENANT);
      const done = await provisionBus(config as never, logger, {
        topics,
        tenants: combinedNeeds(definitions, config).tenants,
      });
      for (const item of done) process.stdout.write(`${item}\n`);
    });
}
