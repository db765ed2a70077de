import { runAllInOne } from '@patternmesh/all-in-one';
import { autoscalerService } from '@patternmesh/autoscaler';
import { classifierService } from '@patternmesh/classifier';
import { ingestGatewayService } from '@patternmesh/ingest-gateway';
import { normalizerService } from '@patternmesh/normalizer';
import { routerService } from '@patternmesh/router';
import { busSettings } from '@patternmesh/bus-factory';
import { runServices, type ServiceDefinition } from '@patternmesh/service-kit';
import { Command, Option } from 'commander';

/** The services one process can run on its own; `all` runs them together (the all-in-one). */
export const SERVICES: Readonly<Record<string, ServiceDefinition>> = Object.fromEntries(
  [ingestGatewayService, normalizerService, classifierService, routerService, autoscalerService].map((s) => [
    s.name,
    s as unknown as ServiceDefinition,
  ]),
);

export function startCommand(): Command {
  return new Command('start')
    .description('run one service, or all five in one process (the default)')
    .argument('[service]', `all | ${Object.keys(SERVICES).join(' | ')}`, 'all')
    .addOption(
      new Option('--bus <bus>', 'message bus (default: PATTERNMESH_BUS, else embedded)').choices(
        busSettings.PATTERNMESH_BUS.values ?? [],
      ),
    )
    .addHelpText(
      'after',
      [
        '',
        'Settings come from the environment (PATTERNMESH_*, PULSAR_*); each service README lists its own.',
        '',
        'Examples:',
        '  patternmesh start                               all five services on the embedded bus (= npm start)',
        '  patternmesh start all --bus pulsar              the same on a Pulsar broker (PULSAR_URL)',
        '  patternmesh start ingest-gateway --bus pulsar   one service, as a Kubernetes pod runs it',
        '  PATTERNMESH_HTTP_PORT=0 patternmesh start router --bus pulsar',
      ].join('\n'),
    )
    .action(async (service: string, options: { bus?: string }) => {
      const overrides: Record<string, string> = options.bus ? { PATTERNMESH_BUS: options.bus } : {};
      if (service === 'all') {
        await runAllInOne(overrides);
        return;
      }
      const definition = SERVICES[service];
      if (!definition) {
        throw new UsageError(`unknown service "${service}": choose all, ${Object.keys(SERVICES).join(', ')}`);
      }
      await runServices([definition], { name: definition.name, overrides });
    });
}

/** A mistake on the command line (exit 2), as opposed to a failure while running (exit 1). */
export class UsageError extends Error {}
