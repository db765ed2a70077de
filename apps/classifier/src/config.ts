import { loadConfig, setting } from '@patternmesh/service-kit';

export const classifierSettings = {
  PATTERNMESH_RULES_FILE: setting.string(
    'JSON file with an array of classification rules; empty uses the built-in rules',
    {
      default: '',
    },
  ),
  PATTERNMESH_CLASSIFY_DRIFT_WINDOW_SECONDS: setting.int(
    'window of the drift figures (patternmesh.classify.drift): each window of decisions is compared with the mix of the windows before it',
    { default: 600, min: 1 },
  ),
};

export const loadClassifierConfig = (env?: Record<string, string | undefined>) =>
  loadConfig(classifierSettings, env);
