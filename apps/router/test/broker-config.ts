import { loadServicesConfig } from '@patternmesh/service-kit';
import { inject } from 'vitest';
import { routerService } from '../src/service';

/**
 * The router's settings for a broker test: the test broker, topics of the test's own topic tenant
 * (no other suite's stages or leftovers share them), provisioning for its customer tenant, any free
 * ports; `extra` adds what the test is about.
 */
export function routerBrokerConfig(
  topicTenant: string,
  customer: string,
  extra: Readonly<Record<string, string>> = {},
) {
  return loadServicesConfig([routerService], {
    PATTERNMESH_BUS: 'pulsar',
    PULSAR_URL: inject('pulsarUrl'),
    PULSAR_ADMIN_URL: inject('pulsarAdminUrl'),
    PATTERNMESH_PULSAR_PROVISION: 'true',
    PATTERNMESH_PROVISION_TENANTS: customer,
    PATTERNMESH_TOPIC_TENANT: topicTenant,
    PATTERNMESH_HTTP_PORT: '0',
    PATTERNMESH_GRPC_PORT: '0',
    ...extra,
  });
}
