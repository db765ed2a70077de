import { runStandalone } from '@patternmesh/service-kit';
import { createAutoscaler } from './app';
import { autoscalerSettings } from './config';
import { grpcLoadSource } from './load-source';
import { loadSourceForBus } from './pulsar-backlog';

await runStandalone('autoscaler', autoscalerSettings, ({ config, logger, topics }) => {
  const targets = config.PATTERNMESH_TELEMETRY_TARGETS.split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  if (targets.length === 0) logger.warn('PATTERNMESH_TELEMETRY_TARGETS is empty: nothing to observe');
  const { source: telemetry } = grpcLoadSource(targets);
  // On Pulsar the bus also tells what is waiting: each stage's input backlog.
  const source = loadSourceForBus(telemetry, config.PATTERNMESH_BUS, config, topics);
  return createAutoscaler({ logger, source, config });
});
