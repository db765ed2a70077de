import { runStandalone } from '@patternmesh/service-kit';
import { createIngestGateway } from './app';
import { gatewaySettings } from './config';

await runStandalone('ingest-gateway', gatewaySettings, (context) => createIngestGateway(context), {
  // Provisioning (when enabled) creates the lane namespaces of the tenants its keys map to.
  tenants: (config) => Object.values(config.PATTERNMESH_API_KEYS),
});
