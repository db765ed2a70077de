import { runStandalone, stageSettings } from '@patternmesh/service-kit';
import { createNormalizer } from './app';
import { normalizerSettings } from './config';

await runStandalone('normalizer', { ...normalizerSettings, ...stageSettings }, (context) =>
  createNormalizer(context),
);
