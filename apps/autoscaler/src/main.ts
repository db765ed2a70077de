import { runStandalone } from '@patternmesh/service-kit';
import { createAutoscaler } from './app';
import { autoscalerSettings } from './config';
import { grpcLoadSource } from './load-source';

await runStandalone('autoscaler', autoscalerSettings, ({ config, logger }) => {
  const targets = config.PATTERNMESH_TELEMETRY_TARGETS.split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  if (targets.length === 0) logger.warn('PATTERNMESH_TELEMETRY_TARGETS is empty: nothing to observe');
  const { source } = grpcLoadSource(targets);
  return createAutoscaler({ logger, source, config });
});
