import { adminSettings, loadConfig, setting, stageSettings } from '@patternmesh/service-kit';

export const routerSettings = {
  ...stageSettings,
  ...adminSettings,
  PATTERNMESH_ROUTES_PATH: setting.string(
    'route table JSON file, or a directory of them (a mounted ConfigMap), watched: what it holds is in force until the next table from it or from the control topic. Empty: the built-in table until a table is applied',
    { default: '' },
  ),
  PATTERNMESH_PATTERN_SCHEMA: setting.bool(
    'register the Pattern protobuf schema (PROTOBUF_NATIVE, from the generated descriptor set) on every destination topic, so subscribers in any language decode through the schema registry without a copy of the .proto (Pulsar bus only); false: payloads go without a schema, as bytes',
    { default: true },
  ),
};

export const loadRouterConfig = (env?: Record<string, string | undefined>) => loadConfig(routerSettings, env);
