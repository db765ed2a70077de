import { deleteTenants } from '@patternmesh/pulsar-tools';
import { inject } from 'vitest';
import { runAllInOneSuite } from './suite';

// Pipeline topics of this run only: the distributed suite runs beside it on the same broker, and
// neither may consume the other's stages' input.
const TOPIC_TENANT = `aio${Date.now().toString(36)}`;

// The same suite with PATTERNMESH_BUS=pulsar against a real broker: what
// `PATTERNMESH_PULSAR_PROVISION=true npx patternmesh start all --bus pulsar` runs.
runAllInOneSuite(
  'all-in-one on Apache Pulsar',
  () => ({
    PATTERNMESH_BUS: 'pulsar',
    PULSAR_URL: inject('pulsarUrl'),
    PULSAR_ADMIN_URL: inject('pulsarAdminUrl'),
    PATTERNMESH_PULSAR_PROVISION: 'true',
    PATTERNMESH_TOPIC_TENANT: TOPIC_TENANT,
  }),
  () => deleteTenants(inject('pulsarAdminUrl'), [TOPIC_TENANT]),
);
