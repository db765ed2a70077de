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
  PATTERNMESH_PROVISION_RAW_PARTITIONS: setting.int(
    'partitions provisioning gives the raw topic every producer writes to (an existing one keeps its own count)',
    { default: 4, min: 1, max: 1024 },
  ),
  PATTERNMESH_PROVISION_LANE_BACKLOG_QUOTA_MB: setting.int(
    "backlog quota provisioning sets on each lane namespace, in MB, with policy producer_request_hold (a lane whose subscribers fall that far behind holds the router: nothing is dropped); must stay below the lanes' 1024 MB retention; 0: the cluster's default",
    { default: 0, min: 0, max: 1023 },
  ),
  PATTERNMESH_PROVISION_ARCHIVE_OFFLOAD_THRESHOLD_MB: setting.int(
    'bytes (in MB) an archive topic keeps in BookKeeper before older ledgers go to tiered storage, where the cluster has an offloader; -1: the cluster default',
    { default: -1, min: -1 },
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
