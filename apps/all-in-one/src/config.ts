import { autoscalerSettings } from '@patternmesh/autoscaler';
import { classifierSettings } from '@patternmesh/classifier';
import { gatewaySettings } from '@patternmesh/ingest-gateway';
import { normalizerSettings } from '@patternmesh/normalizer';
import {
  adminSettings,
  busSettings,
  commonSettings,
  loadConfig,
  stageSettings,
} from '@patternmesh/service-kit';

/** Every setting of every service, validated together: one run, one list of problems. */
export const allInOneSettings = {
  ...commonSettings,
  ...busSettings,
  ...stageSettings,
  ...adminSettings,
  ...gatewaySettings,
  ...normalizerSettings,
  ...classifierSettings,
  ...autoscalerSettings,
};

export const loadAllInOneConfig = (env?: Record<string, string | undefined>) =>
  loadConfig(allInOneSettings, env);
