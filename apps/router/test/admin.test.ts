import * as grpc from '@grpc/grpc-js';
import { EmbeddedBus } from '@patternmesh/bus';
import { pipelineTopics } from '@patternmesh/pattern';
import {
  Lane,
  Priority,
  RouterAdminServiceClient,
  type ApplyRouteTableResponse,
  type ExplainRouteResponse,
  type RouteTable,
} from '@patternmesh/proto';
import { createLogger, loadConfig, startHost, type RunningHost } from '@patternmesh/service-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRouter } from '../src/app';
import { routerSettings } from '../src/config';

const ADMIN = 'ops-key-1';
let host: RunningHost;
let client: RouterAdminServiceClient;

beforeAll(async () => {
  const logger = createLogger('test', { level: 'silent' });
  const config = loadConfig(routerSettings, { PATTERNMESH_ADMIN_API_KEYS: `other,${ADMIN}` });
  host = await startHost({
    logger,
    modules: [createRouter({ bus: new EmbeddedBus(), logger, topics: pipelineTopics(), config })],
    httpPort: 0,
    grpcPort: 0,
  });
  client = new RouterAdminServiceClient(`127.0.0.1:${host.grpcPort}`, grpc.credentials.createInsecure());
});
afterAll(async () => {
  client.close();
  await host.stop();
});

const metadata = (key?: string) => {
  const m = new grpc.Metadata();
  if (key) m.set('x-api-key', key);
  return m;
};

const apply = (table: RouteTable, key?: string) =>
  new Promise<{ error: grpc.ServiceError | null; response?: ApplyRouteTableResponse }>((resolve) =>
    client.applyRouteTable({ table }, metadata(key), (error, response) => resolve({ error, response })),
  );

const table = (version: string, lane: Lane): RouteTable => ({
  version,
  rules: [
    { id: 'fraud-first', categories: ['fraud'], minPriority: Priority.PRIORITY_LOW, lane, destinations: [] },
  ],
  defaultLane: Lane.LANE_BULK,
  archiveAll: true,
});

describe('RouterAdminService', () => {
  it('refuses callers without an admin key: a tenant key or none cannot rewrite routes', async () => {
    const none = await apply(table('v2', Lane.LANE_CRITICAL));
    expect(none.error?.code).toBe(grpc.status.UNAUTHENTICATED);
    expect(none.error?.metadata.get('pm-error-code')).toEqual(['API_KEY_MISSING']);
    const tenantKey = await apply(table('v2', Lane.LANE_CRITICAL), 'pm-dev-key');
    expect(tenantKey.error?.metadata.get('pm-error-code')).toEqual(['API_KEY_INVALID']);
  });

  it('applies a valid table atomically and explains decisions with it', async () => {
    const applied = await apply(table('v2', Lane.LANE_CRITICAL), ADMIN);
    expect(applied.error).toBeNull();
    expect(applied.response?.version).toBe('v2');
    const explained = await new Promise<ExplainRouteResponse>((resolve, reject) =>
      client.explainRoute(
        {
          pattern: {
            id: 'p1',
            tenant: 'acme',
            source: 'fraud.cards',
            entity: 'c',
            contentType: 'application/json',
            payload: Buffer.from('{}'),
            attributes: {},
            idempotencyKey: '',
            classification: {
              category: 'fraud',
              priority: Priority.PRIORITY_LOW,
              score: 0.1,
              labels: [],
              modelVersion: '',
              ruleIds: [],
              explanation: '',
            },
          },
        },
        metadata(ADMIN),
        (error, response) => (error ? reject(error) : resolve(response)),
      ),
    );
    expect(explained.route?.lane).toBe(Lane.LANE_CRITICAL);
    expect(explained.route?.ruleId).toBe('fraud-first');
    expect(explained.route?.tableVersion).toBe('v2');
    expect(explained.route?.destinations).toContain('persistent://acme/patterns/critical');
  });

  it('rejects an invalid table with ROUTE_TABLE_INVALID and keeps the one in force', async () => {
    const invalid = await apply({ ...table('', Lane.LANE_UNSPECIFIED) }, ADMIN);
    expect(invalid.error?.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(invalid.error?.metadata.get('pm-error-code')).toEqual(['ROUTE_TABLE_INVALID']);
    const current = await new Promise<RouteTable | undefined>((resolve, reject) =>
      client.getRouteTable({}, metadata(ADMIN), (error, response) =>
        error ? reject(error) : resolve(response.table),
      ),
    );
    expect(current?.version).toBe('v2');
  });
});
