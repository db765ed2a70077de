import { defineService } from '@patternmesh/service-kit';
import { createIngestGateway } from './app';
import { gatewaySettings } from './config';

/** The ingest gateway as its hosts see it: settings, what it needs from the host, how to build it. */
export const ingestGatewayService = defineService({
  name: 'ingest-gateway',
  summary: 'REST and gRPC intake: API key → tenant, limits, validation, durable publish to raw',
  settings: gatewaySettings,
  host: (config) => ({
    // The body limit is the gateway's to set, on both transports, however the gateway is hosted.
    httpBodyLimitBytes: config.PATTERNMESH_MAX_BODY_BYTES,
    grpcMaxMessageBytes: config.PATTERNMESH_MAX_BODY_BYTES,
    // Provisioning (where on) creates the lane namespaces of the tenants its keys map to.
    tenants: Object.values(config.PATTERNMESH_API_KEYS),
  }),
  build: (context) => createIngestGateway(context),
});
