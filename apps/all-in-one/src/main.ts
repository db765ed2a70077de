import {
  connectBus,
  createLogger,
  DEV_ADMIN_API_KEY,
  exitOnSignals,
  redactConfig,
} from '@patternmesh/service-kit';
import { DEV_API_KEY } from '@patternmesh/ingest-gateway';
import { startAllInOne } from './app';
import { allInOneSettings, loadAllInOneConfig } from './config';

const config = loadAllInOneConfig();
const logger = createLogger('patternmesh', { level: config.PATTERNMESH_LOG_LEVEL });
logger.info({ config: redactConfig(allInOneSettings, config) }, 'starting all-in-one');
const bus = await connectBus(config, logger, {
  tenants: [...new Set(Object.values(config.PATTERNMESH_API_KEYS))],
});
const running = await startAllInOne({ config, logger, bus });
exitOnSignals(logger, running.stop);

const http = `http://${config.PATTERNMESH_HTTP_HOST}:${running.httpPort}`;
const usingDevKey = config.PATTERNMESH_API_KEYS[DEV_API_KEY] !== undefined;
process.stdout.write(
  [
    '',
    `Patternmesh all-in-one is running (${bus.kind === 'embedded' ? 'embedded bus' : `Pulsar at ${config.PULSAR_URL}`}, autoscaler in dry-run).`,
    `  REST   ${http}/v1/patterns        health ${http}/readyz   metrics ${http}/metrics`,
    `  gRPC   ${config.PATTERNMESH_HTTP_HOST}:${running.grpcPort}   (reflection and grpc.health.v1 enabled)`,
    usingDevKey
      ? `  API key (development default, set PATTERNMESH_API_KEYS to replace): ${DEV_API_KEY} -> tenant ${config.PATTERNMESH_API_KEYS[DEV_API_KEY]}`
      : `  API keys from PATTERNMESH_API_KEYS`,
    config.PATTERNMESH_ADMIN_API_KEYS === DEV_ADMIN_API_KEY
      ? `  Admin key for RouterAdminService (development default, set PATTERNMESH_ADMIN_API_KEYS): ${DEV_ADMIN_API_KEY}`
      : `  Admin keys from PATTERNMESH_ADMIN_API_KEYS`,
    `  Watch a lane:  curl -N -H 'x-api-key: ${usingDevKey ? DEV_API_KEY : '<key>'}' '${http}/v1/tail?topic=critical'`,
    '',
  ].join('\n') + '\n',
);
