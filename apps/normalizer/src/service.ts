import { defineService, stageSettings } from '@patternmesh/service-kit';
import { createNormalizer } from './app';
import { normalizerSettings } from './config';

export const normalizerService = defineService({
  name: 'normalizer',
  summary: 'raw → normalized: parse payloads, apply per-source mappings, quarantine what cannot be read',
  settings: { ...normalizerSettings, ...stageSettings },
  build: (context) => createNormalizer(context),
});
