import { ConfigError, processEnvironment } from '@patternmesh/config';
import { loadServicesConfig, type ServiceDefinition } from '@patternmesh/service-kit';
import { UsageError } from './start';

/**
 * The settings of `definitions` from the environment (with `--bus` over PATTERNMESH_BUS), validated as
 * the services validate theirs; an invalid configuration is a usage error listing every problem.
 */
export function loadCliConfig(
  definitions: readonly ServiceDefinition[],
  bus: string | undefined,
): ReturnType<typeof loadServicesConfig> {
  const env = { ...processEnvironment(), ...(bus ? { PATTERNMESH_BUS: bus } : {}) };
  try {
    return loadServicesConfig([...definitions], env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    throw new UsageError(`invalid configuration:\n${error.problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}
