import { readFileSync } from 'node:fs';
import type { ConfigOf } from '@patternmesh/config';
import { PulsarAdmin } from '@patternmesh/pulsar';
import { provisionPulsar, type ProvisionOptions } from './provision';
import { PulsarBus } from './pulsar-bus';
import type { pulsarSettings } from './settings';

/** The slice of a logger this adapter writes to (pino's satisfies it). */
export interface AdapterLogger {
  info(fields: Record<string, unknown>, message: string): void;
}

/**
 * The Pulsar bus from a process's settings. With provisioning on, tenants, namespaces and stage
 * subscriptions exist before this returns, so nothing published afterwards is lost.
 */
/** Provisioning alone (the chart's hook Job, `patternmesh provision`): no client connection. */
export async function provisionPulsarFromSettings(
  config: ConfigOf<typeof pulsarSettings>,
  logger: AdapterLogger,
  provisioning: ProvisionOptions,
): Promise<string[]> {
  // The admin client uses Node's fetch: an https:// admin URL signed by a private CA needs that CA in
  // NODE_EXTRA_CA_CERTS (the chart sets it from the same Secret as PULSAR_TLS_CA_FILE).
  const auth = config.PULSAR_AUTH_TOKEN ? { authToken: config.PULSAR_AUTH_TOKEN } : {};
  const admin = new PulsarAdmin({ url: config.PULSAR_ADMIN_URL, ...auth });
  const done = await provisionPulsar(admin, {
    rawPartitions: config.PATTERNMESH_PROVISION_RAW_PARTITIONS,
    laneBacklogQuotaMb: config.PATTERNMESH_PROVISION_LANE_BACKLOG_QUOTA_MB,
    archiveOffloadThresholdMb: config.PATTERNMESH_PROVISION_ARCHIVE_OFFLOAD_THRESHOLD_MB,
    ...provisioning,
  });
  logger.info({ provisioned: done.length, adminUrl: config.PULSAR_ADMIN_URL }, 'Pulsar provisioned');
  return done;
}

export async function connectPulsarBus(
  config: ConfigOf<typeof pulsarSettings>,
  logger: AdapterLogger,
  provisioning: ProvisionOptions,
): Promise<PulsarBus> {
  if (config.PATTERNMESH_PULSAR_PROVISION) await provisionPulsarFromSettings(config, logger, provisioning);
  const auth = config.PULSAR_AUTH_TOKEN ? { authToken: config.PULSAR_AUTH_TOKEN } : {};
  const tls = config.PULSAR_TLS_CA_FILE ? { tls: { ca: readFileSync(config.PULSAR_TLS_CA_FILE) } } : {};
  logger.info({ serviceUrl: config.PULSAR_URL }, 'connecting to Pulsar');
  return PulsarBus.connect({
    serviceUrl: config.PULSAR_URL,
    adminUrl: config.PULSAR_ADMIN_URL,
    batchingMaxDelayMs: config.PATTERNMESH_PULSAR_BATCH_DELAY_MS,
    orderingBuckets: config.PATTERNMESH_PULSAR_ORDERING_BUCKETS,
    ...auth,
    ...tls,
  });
}
