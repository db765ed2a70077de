import { runStandalone } from '@patternmesh/service-kit';
import { createIngestGateway } from './app';
import { gatewaySettings } from './config';

await runStandalone('ingest-gateway', gatewaySettings, (context) => createIngestGateway(context));
