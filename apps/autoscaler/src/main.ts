import { runStandalone } from '@patternmesh/service-kit';
import { createAutoscaler } from './app';
import { autoscalerSettings } from './config';
import { grpcLoadSource } from './load-source';
import { combineSources, pulsarBacklogSource } from './pulsar-backlog';
import { stageInputs } from '@patternmesh/pattern';
import { PulsarAdmin } from '@patternmesh/pulsar';

await runStandalone('autoscaler', autoscalerSettings, ({ config, logger, topics }) => {
  const targets = config.PATTERNMESH_TELEMETRY_TARGETS.split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  if (targets.length === 0) logger.warn('PATTERNMESH_TELEMETRY_TARGETS is empty: nothing to observe');
  const { source: telemetry } = grpcLoadSource(targets);
  // On Pulsar the bus also tells what is waiting: each stage's input backlog.
  const source =
    config.PATTERNMESH_BUS === 'pulsar'
      ? combineSources(
          telemetry,
          pulsarBacklogSource(
            new PulsarAdmin({
              url: config.PULSAR_ADMIN_URL,
              ...(config.PULSAR_AUTH_TOKEN ? { authToken: config.PULSAR_AUTH_TOKEN } : {}),
            }),
            stageInputs(topics),
          ),
        )
      : telemetry;
  return createAutoscaler({ logger, source, config });
});
