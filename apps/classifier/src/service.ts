import { defineService, stageSettings } from '@patternmesh/service-kit';
import { createClassifier } from './app';
import { classifierSettings } from './config';

export const classifierService = defineService({
  name: 'classifier',
  summary: 'normalized → classified: category, priority, score, labels and why',
  settings: { ...classifierSettings, ...stageSettings },
  build: (context) => createClassifier(context),
});
