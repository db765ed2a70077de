import { gatewaySettings } from '@patternmesh/ingest-gateway';
import { ApiKeyRegistry } from '@patternmesh/ingest';
import { defineService, setting } from '@patternmesh/service-kit';
import { createTail } from './tail';

const tailSettings = {
  PATTERNMESH_API_KEYS: gatewaySettings.PATTERNMESH_API_KEYS,
  PATTERNMESH_TAIL_MAX_UNREAD_BYTES: setting.int(
    'bytes a /v1/tail client may leave unread before it is cut off (event: error, SLOW_CONSUMER)',
    { default: 4 * 1024 * 1024, min: 1 },
  ),
};

/** `GET /v1/tail`: the all-in-one's way to watch a topic without a Pulsar client (same API keys as the gateway). */
export const tailService = defineService({
  name: 'tail',
  summary: 'Server-Sent Events of a lane, the quarantine or a topic of the caller’s tenant',
  settings: tailSettings,
  build: ({ bus, topics, config }) =>
    createTail(bus, topics, new ApiKeyRegistry(config.PATTERNMESH_API_KEYS, [topics.tenant]), {
      maxUnreadBytes: config.PATTERNMESH_TAIL_MAX_UNREAD_BYTES,
    }),
});
