import { DEV_API_KEY } from '@patternmesh/ingest-gateway';
import { DEV_ADMIN_API_KEY, runServices, type RunningServices } from '@patternmesh/service-kit';
import { allInOneServices } from './config';

/**
 * `npm start` and `patternmesh start all`: the five services in one process, and a few lines that
 * tell a newcomer where everything is.
 */
export function runAllInOne(overrides: Readonly<Record<string, string>> = {}): Promise<RunningServices> {
  return runServices(allInOneServices(), {
    name: 'patternmesh',
    overrides,
    onListening: (running, config) => {
      const host = config.PATTERNMESH_HTTP_HOST;
      const http = `http://${host}:${running.httpPort}`;
      const keys = config['PATTERNMESH_API_KEYS'] as Record<string, string>;
      const usingDevKey = keys[DEV_API_KEY] !== undefined;
      const admin = config['PATTERNMESH_ADMIN_API_KEYS'];
      process.stdout.write(
        [
          '',
          `Patternmesh all-in-one is running (${running.bus.kind === 'embedded' ? 'embedded bus' : `Pulsar at ${config.PULSAR_URL}`}, autoscaler in dry-run).`,
          `  REST   ${http}/v1/patterns        health ${http}/readyz   metrics ${http}/metrics`,
          `  gRPC   ${host}:${running.grpcPort}   (reflection and grpc.health.v1 enabled)`,
          usingDevKey
            ? `  API key (development default, set PATTERNMESH_API_KEYS to replace): ${DEV_API_KEY} -> tenant ${keys[DEV_API_KEY]}`
            : `  API keys from PATTERNMESH_API_KEYS`,
          admin === DEV_ADMIN_API_KEY
            ? `  Admin key for RouterAdminService (development default, set PATTERNMESH_ADMIN_API_KEYS): ${DEV_ADMIN_API_KEY}`
            : `  Admin keys from PATTERNMESH_ADMIN_API_KEYS`,
          `  Watch a lane:  curl -N -H 'x-api-key: ${usingDevKey ? DEV_API_KEY : '<key>'}' '${http}/v1/tail?topic=critical'`,
          '',
        ].join('\n') + '\n',
      );
    },
  });
}
