import { loadConfig, setting } from '@patternmesh/service-kit';

export const classifierSettings = {
  PATTERNMESH_RULES_FILE: setting.string(
    'JSON file with an array of classification rules; empty uses the built-in rules',
    {
      default: '',
    },
  ),
};

export const loadClassifierConfig = (env?: Record<string, string | undefined>) =>
  loadConfig(classifierSettings, env);
