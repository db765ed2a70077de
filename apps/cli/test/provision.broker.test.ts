// `patternmesh provision`, the chart's hook Job, against a real broker: it creates what the services
// need, a second run (every `helm upgrade`) succeeds and changes nothing, and a wrong setting is a usage
// error before anything is touched.
import { pipelineTopics, stageInputs } from '@patternmesh/pattern';
import { deleteTenants } from '@patternmesh/pulsar-tools';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { runPatternmesh } from './run-cli';

const suffix = Date.now().toString(36);
const TOPIC_TENANT = `prov${suffix}`;
const CUSTOMER = `acme${suffix}`;
const KEY_TENANT = `globex${suffix}`;
const topics = pipelineTopics(TOPIC_TENANT);

const provision = (env: Record<string, string>) => runPatternmesh(['provision'], env);

const settings = () => ({
  PATTERNMESH_BUS: 'pulsar',
  PULSAR_URL: inject('pulsarUrl'),
  PULSAR_ADMIN_URL: inject('pulsarAdminUrl'),
  PATTERNMESH_TOPIC_TENANT: TOPIC_TENANT,
  PATTERNMESH_PROVISION_TENANTS: CUSTOMER,
  PATTERNMESH_API_KEYS: `key-${suffix}=${KEY_TENANT}`,
  PATTERNMESH_PROVISION_RAW_PARTITIONS: '3',
  PATTERNMESH_PROVISION_LANE_BACKLOG_QUOTA_MB: '512',
  PATTERNMESH_PROVISION_ARCHIVE_OFFLOAD_THRESHOLD_MB: '2048',
  PATTERNMESH_LOG_LEVEL: 'silent',
});

async function admin<T>(resource: string): Promise<T> {
  const res = await fetch(`${inject('pulsarAdminUrl')}/admin/v2/${resource}`);
  expect(res.status, resource).toBe(200);
  return (await res.json()) as T;
}

const topicPath = (topic: string) => topic.replace('persistent://', 'persistent/');

afterAll(() => deleteTenants(inject('pulsarAdminUrl'), [TOPIC_TENANT, CUSTOMER, KEY_TENANT]));

describe('patternmesh provision', () => {
  it('creates the tenant, namespaces, topics, subscriptions and policies the services need', async () => {
    const run = await provision(settings());
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`tenant ${TOPIC_TENANT}`);

    const namespaces = await admin<string[]>(`namespaces/${TOPIC_TENANT}`);
    expect(namespaces).toEqual(
      expect.arrayContaining([
        `${TOPIC_TENANT}/pipeline`,
        `${TOPIC_TENANT}/archive`,
        `${TOPIC_TENANT}/control`,
      ]),
    );
    // Lane namespaces for the configured customer tenant and for the tenant of the API key.
    expect(await admin<string[]>(`namespaces/${CUSTOMER}`)).toEqual([`${CUSTOMER}/patterns`]);
    expect(await admin<string[]>(`namespaces/${KEY_TENANT}`)).toEqual([`${KEY_TENANT}/patterns`]);

    expect((await admin<{ partitions: number }>(`${topicPath(topics.raw)}/partitions`)).partitions).toBe(3);
    for (const { topic, subscription } of stageInputs(topics)) {
      expect(await admin<string[]>(`${topicPath(topic)}/subscriptions`)).toContain(subscription);
    }
    expect(await admin<boolean>(`namespaces/${TOPIC_TENANT}/pipeline/deduplication`)).toBe(true);
    expect(
      await admin<{ retentionTimeInMinutes: number }>(`namespaces/${TOPIC_TENANT}/archive/retention`),
    ).toMatchObject({
      retentionTimeInMinutes: -1,
      retentionSizeInMB: -1,
    });
    // A full lane holds its producer (the router), it never evicts what subscribers have not read.
    const quotas = await admin<Record<string, { limitSize: number; policy: string }>>(
      `namespaces/${CUSTOMER}/patterns/backlogQuotaMap`,
    );
    expect(quotas.destination_storage).toMatchObject({
      limitSize: 512 * 1024 * 1024,
      policy: 'producer_request_hold',
    });
    expect(await admin<number>(`namespaces/${TOPIC_TENANT}/archive/offloadThreshold`)).toBe(
      2048 * 1024 * 1024,
    );
  });

  it('succeeds again on a provisioned cluster (helm upgrade re-runs it)', async () => {
    const again = await provision(settings());
    expect(again.stderr).toBe('');
    expect(again.code).toBe(0);
    expect((await admin<{ partitions: number }>(`${topicPath(topics.raw)}/partitions`)).partitions).toBe(3);
  });

  it('refuses invalid settings with exit 2 and every problem named, before touching the broker', async () => {
    const wrong = await provision({
      ...settings(),
      PATTERNMESH_TOPIC_TENANT: `never${suffix}`,
      PATTERNMESH_PULSAR_ORDERING_BUCKETS: 'many',
    });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('invalid configuration');
    expect(wrong.stderr).toContain('PATTERNMESH_PULSAR_ORDERING_BUCKETS');
    const tenants = await admin<string[]>('tenants');
    expect(tenants).not.toContain(`never${suffix}`);
  });

  it('refuses the embedded bus, which has nothing to provision', async () => {
    const embedded = await provision({ ...settings(), PATTERNMESH_BUS: 'embedded' });
    expect(embedded.code).toBe(2);
    expect(embedded.stderr).toContain('provision needs the Pulsar bus');
  });
});
