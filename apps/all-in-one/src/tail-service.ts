import { gatewaySettings } from '@patternmesh/ingest-gateway';
import { ApiKeyRegistry } from '@patternmesh/ingest';
import { defineService } from '@patternmesh/service-kit';
import { createTail } from './tail';

/** `GET /v1/tail`: the all-in-one's way to watch a topic without a Pulsar client (same API keys as the gateway). */
export const tailService = defineService({
  name: 'tail',
  summary: 'Server-Sent Events of a lane, the quarantine or a topic of the caller’s tenant',
  settings: { PATTERNMESH_API_KEYS: gatewaySettings.PATTERNMESH_API_KEYS },
  build: ({ bus, topics, config }) =>
    createTail(bus, topics, new ApiKeyRegistry(config.PATTERNMESH_API_KEYS, [topics.tenant])),
});
