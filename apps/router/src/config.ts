import { adminSettings, loadConfig, setting, stageSettings } from '@patternmesh/service-kit';

export const routerSettings = {
  ...stageSettings,
  ...adminSettings,
  PATTERNMESH_ROUTES_PATH: setting.string(
    'route table JSON file, or a directory of them (a mounted ConfigMap), watched: what it holds is in force until the next table from it or from the control topic. Empty: the built-in table until a table is applied',
    { default: '' },
  ),
  PATTERNMESH_PATTERN_SCHEMA: setting.bool(
    'register the Pattern protobuf schema (PROTOBUF_NATIVE) on every destination topic, so subscribers in any language decode via the schema registry, no .proto needed (Pulsar bus); false: plain bytes',
    { default: true },
  ),
};

export const loadRouterConfig = (env?: Record<string, string | undefined>) => loadConfig(routerSettings, env);
