// provisionBus on a real broker: what the stages need exists afterwards, including the Pulsar-only
// policies taken from the settings, and a second run changes nothing.
import { loadConfig } from '@patternmesh/config';
import { pipelineTopics, stageInputs } from '@patternmesh/pattern';
import { deleteTenants } from '@patternmesh/pulsar-tools';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { busSettings, provisionBus } from '../src/connect';

const tenant = `bf${Date.now().toString(36)}`;
const lanes = `${tenant}lanes`;
const topics = pipelineTopics(tenant);
const logger = { info: () => undefined };

async function admin<T>(resource: string): Promise<T> {
  const res = await fetch(`${inject('pulsarAdminUrl')}/admin/v2/${resource}`);
  expect(res.status, resource).toBe(200);
  return (await res.json()) as T;
}

afterAll(() => deleteTenants(inject('pulsarAdminUrl'), [tenant, lanes]));

describe('provisionBus (pulsar)', () => {
  it('creates the stage subscriptions, the lanes and the configured policies, idempotently', async () => {
    const config = loadConfig(busSettings, {
      PATTERNMESH_BUS: 'pulsar',
      PULSAR_URL: inject('pulsarUrl'),
      PULSAR_ADMIN_URL: inject('pulsarAdminUrl'),
      PATTERNMESH_PROVISION_RAW_PARTITIONS: '2',
      PATTERNMESH_PROVISION_LANE_BACKLOG_QUOTA_MB: '100',
    });
    const first = await provisionBus(config, logger, { topics, tenants: [lanes] });
    expect(first).toContain(`backlog quota 100 MB on ${lanes}/patterns`);
    for (const { topic, subscription } of stageInputs(topics)) {
      expect(
        await admin<string[]>(`${topic.replace('persistent://', 'persistent/')}/subscriptions`),
      ).toContain(subscription);
    }
    const raw = await admin<{ partitions: number }>(
      `${topics.raw.replace('persistent://', 'persistent/')}/partitions`,
    );
    expect(raw.partitions).toBe(2);
    expect(await provisionBus(config, logger, { topics, tenants: [lanes] })).toEqual(first);
  });
});
