import { adminSettings, loadConfig, setting, stageSettings } from '@patternmesh/service-kit';

export const routerSettings = {
  ...stageSettings,
  ...adminSettings,
  PATTERNMESH_ROUTES_PATH: setting.string(
    'route table JSON file, or a directory of them (a mounted ConfigMap); watched, newest version wins. Empty: the built-in table and the control topic only',
    { default: '' },
  ),
};

export const loadRouterConfig = (env?: Record<string, string | undefined>) => loadConfig(routerSettings, env);
