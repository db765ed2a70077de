import { loadConfig, setting } from '@patternmesh/service-kit';

export const normalizerSettings = {
  PATTERNMESH_MAPPINGS_FILE: setting.string(
    'JSON file with an array of mapping specs; empty uses the built-in mappings',
    {
      default: '',
    },
  ),
};

export const loadNormalizerConfig = (env?: Record<string, string | undefined>) =>
  loadConfig(normalizerSettings, env);
