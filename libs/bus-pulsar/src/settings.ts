import { setting } from '@patternmesh/config';

/** How a process reaches Apache Pulsar (with `PATTERNMESH_BUS=pulsar`). */
export const pulsarSettings = {
  PULSAR_URL: setting.string('Pulsar service URL (pulsar:// or pulsar+ssl://), with PATTERNMESH_BUS=pulsar', {
    default: 'pulsar://127.0.0.1:6650',
  }),
  PULSAR_ADMIN_URL: setting.url('Pulsar admin REST URL, for provisioning and backlog figures', {
    default: 'http://127.0.0.1:8080',
  }),
  PULSAR_AUTH_TOKEN: setting.string('JWT for Pulsar token authentication; empty for none', {
    default: '',
    secret: true,
  }),
  PULSAR_TLS_CA_FILE: setting.string(
    'PEM file of the CA that signed the broker certificate (pulsar+ssl://)',
    { default: '' },
  ),
  PATTERNMESH_PULSAR_PROVISION: setting.bool(
    'create tenants, namespaces, retention and stage subscriptions at start-up (local runs; the chart uses a Job)',
    { default: false },
  ),
  PATTERNMESH_PULSAR_BATCH_DELAY_MS: setting.int(
    'how long a producer holds messages to batch them, in ms (0: no batching); one batch is one broker entry',
    { default: 1, min: 0, max: 1000 },
  ),
  PATTERNMESH_PULSAR_ORDERING_BUCKETS: setting.int(
    'keys hash into this many ordering buckets; batches and Key_Shared dispatch go by bucket, so a batch holds many keys (per-key order kept) and the broker handles far fewer entries; a stage spreads over at most this many replicas; 0: batch and dispatch per key',
    { default: 64, min: 0, max: 65536 },
  ),
};
