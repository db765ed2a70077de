import { inject } from 'vitest';
import { runAllInOneSuite } from './suite';

// The same suite with PATTERNMESH_BUS=pulsar against a real broker: what
// `PATTERNMESH_BUS=pulsar PATTERNMESH_PULSAR_PROVISION=true npm start` runs.
runAllInOneSuite('all-in-one on Apache Pulsar', () => ({
  PATTERNMESH_BUS: 'pulsar',
  PULSAR_URL: inject('pulsarUrl'),
  PULSAR_ADMIN_URL: inject('pulsarAdminUrl'),
  PATTERNMESH_PULSAR_PROVISION: 'true',
}));
