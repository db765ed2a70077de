import { runStandalone, stageSettings } from '@patternmesh/service-kit';
import { createClassifier } from './app';
import { classifierSettings } from './config';

await runStandalone('classifier', { ...classifierSettings, ...stageSettings }, (context) =>
  createClassifier(context),
);
