import { loadConfig, setting } from '@patternmesh/service-kit';

/** Development key, printed at start-up so a newcomer can post right away. Override in any real deployment. */
export const DEV_API_KEY = 'pm-dev-key';
export const DEV_TENANT = 'demo';

export const gatewaySettings = {
  PATTERNMESH_API_KEYS: setting.pairs('API keys and their tenants, as key=tenant,key2=tenant2', {
    default: { [DEV_API_KEY]: DEV_TENANT },
    secret: true,
  }),
  PATTERNMESH_MAX_BODY_BYTES: setting.int('largest accepted request body (REST and gRPC), bytes', {
    default: 1024 * 1024,
    min: 1024,
  }),
  PATTERNMESH_MAX_PAYLOAD_BYTES: setting.int('largest accepted pattern payload, bytes', {
    default: 256 * 1024,
    min: 1,
  }),
  PATTERNMESH_MAX_BATCH_ITEMS: setting.int('most patterns in one batch request', { default: 500, min: 1 }),
  PATTERNMESH_TENANT_RATE_LIMIT: setting.int(
    'patterns per second one tenant may publish (bursts up to twice that); 0 = no limit',
    {
      default: 10_000,
      min: 0,
    },
  ),
};

export const loadGatewayConfig = (env?: Record<string, string | undefined>) =>
  loadConfig(gatewaySettings, env);
