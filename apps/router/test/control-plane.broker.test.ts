import * as grpc from '@grpc/grpc-js';
import { eventually } from '@patternmesh/bus/testing';
import { decodePattern, encodePattern, laneTopic, pipelineTopics } from '@patternmesh/pattern';
import { aPattern } from '@patternmesh/pattern/testing';
import { Lane, Priority, RouterAdminServiceClient, type Pattern, type RouteTable } from '@patternmesh/proto';
import type { BusMessage, Subscription } from '@patternmesh/bus';
import { connectBus } from '@patternmesh/bus-factory';
import { deleteTenants } from '@patternmesh/pulsar-tools';
import { createLogger, startServices, type RunningServices } from '@patternmesh/service-kit';
import { unary } from '@patternmesh/service-kit/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { routerService } from '../src/service';
import { routerBrokerConfig } from './broker-config';

/**
 * The control plane on a real broker, with two router replicas as Kubernetes would run them: a
 * table applied through one replica's admin API is in force on both, and a replica that restarts
 * comes back with it (from the compacted control topic, not from memory).
 */
const ADMIN = 'ops-key';
// A topic tenant of its own per run: no other suite's stages or leftovers share these topics.
const TOPIC_TENANT = `ctl${Date.now().toString(36)}`;
const CUSTOMER = `cust${Date.now().toString(36)}`;
const logger = createLogger('test', { level: 'silent' });
const topics = pipelineTopics(TOPIC_TENANT);

const config = () =>
  routerBrokerConfig(TOPIC_TENANT, CUSTOMER, {
    PATTERNMESH_ADMIN_API_KEYS: ADMIN,
    PATTERNMESH_RETRY_DELAY_MS: '100',
  });

const startReplica = () => startServices([routerService], { config: config(), logger });

function admin(replica: RunningServices) {
  const client = new RouterAdminServiceClient(
    `127.0.0.1:${replica.grpcPort}`,
    grpc.credentials.createInsecure(),
  );
  const md = () => {
    const m = new grpc.Metadata();
    m.set('x-api-key', ADMIN);
    return m;
  };
  return {
    close: () => client.close(),
    apply: (request: { table: RouteTable }) => unary(client, client.applyRouteTable, request, md()),
    get: () => unary(client, client.getRouteTable, {}, md()),
    explain: (request: { pattern: Pattern }) => unary(client, client.explainRoute, request, md()),
  };
}

const fraud = (entity: string): Pattern =>
  aPattern({
    id: `id-${entity}`,
    tenant: CUSTOMER,
    source: 'fraud.cards',
    entity,
    classification: {
      category: 'fraud',
      priority: Priority.PRIORITY_LOW,
      score: 0.2,
      labels: [],
      modelVersion: 'test',
      ruleIds: [],
      explanation: '',
    },
  });

// Low-priority fraud goes to bulk by the built-in table; v2 sends it to the critical lane.
const v2: RouteTable = {
  version: 'v2-fraud-always-critical',
  rules: [
    {
      id: 'fraud',
      categories: ['fraud'],
      minPriority: Priority.PRIORITY_LOW,
      lane: Lane.LANE_CRITICAL,
      destinations: [],
    },
  ],
  defaultLane: Lane.LANE_BULK,
  archiveAll: false,
};

describe('control plane: route tables across two router replicas (real broker)', () => {
  let a: RunningServices;
  let b: RunningServices;
  // An independent subscriber on the critical lane, as a customer would have.
  let subscriber: Awaited<ReturnType<typeof connectBus>>;
  let critical: Subscription;
  const arrived: BusMessage[] = [];

  beforeAll(async () => {
    a = await startReplica();
    b = await startReplica();
    subscriber = await connectBus(config(), logger, { topics, tenants: [] });
    critical = await subscriber.subscribe(
      {
        topic: laneTopic(CUSTOMER, 'critical'),
        subscription: 'checker',
        type: 'Shared',
        initialPosition: 'earliest',
      },
      async (message) => void arrived.push(message),
    );
  });

  afterAll(async () => {
    await critical?.close();
    await subscriber?.close();
    await a?.stop();
    await b?.stop();
    // This run's tenants go, so the broker's data does not grow run after run.
    await deleteTenants(inject('pulsarAdminUrl'), [TOPIC_TENANT, CUSTOMER]);
  });

  it('a table applied through one replica is in force on both, routes traffic, and survives a restart', async () => {
    const adminA = admin(a);
    const adminB = admin(b);
    expect((await adminB.get()).table?.version).not.toBe(v2.version);

    expect(await adminA.apply({ table: v2 })).toEqual({ version: v2.version });
    // B never got the call: it read the table from the control topic.
    await eventually(async () => expect((await adminB.get()).table?.version).toBe(v2.version));
    for (const replica of [adminA, adminB]) {
      const { route } = await replica.explain({ pattern: fraud('card-x') });
      expect(route?.lane).toBe(Lane.LANE_CRITICAL);
      expect(route?.tableVersion).toBe(v2.version);
    }

    // Patterns that either replica routes now carry the version that decided them.
    for (let i = 0; i < 20; i++) {
      await a.bus.publish(topics.classified, {
        key: `${CUSTOMER}/fraud.cards/card-${i}`,
        payload: encodePattern(fraud(`card-${i}`)),
      });
    }
    await eventually(
      () => expect(new Set(arrived.map((m) => decodePattern(m.payload).entity)).size).toBe(20),
      60_000,
    );
    for (const message of arrived)
      expect(decodePattern(message.payload).route?.tableVersion).toBe(v2.version);

    // Restart B: a new process would start from the built-in table; it comes back with v2.
    adminB.close();
    await b.stop();
    b = await startReplica();
    const restarted = admin(b);
    expect((await restarted.get()).table?.version).toBe(v2.version);
    expect((await restarted.explain({ pattern: fraud('card-y') })).route?.lane).toBe(Lane.LANE_CRITICAL);

    // A table that fails validation is refused through the API and changes nothing anywhere.
    await expect(adminA.apply({ table: { ...v2, version: '' } })).rejects.toMatchObject({
      code: grpc.status.INVALID_ARGUMENT,
    });
    expect((await restarted.get()).table?.version).toBe(v2.version);
    adminA.close();
    restarted.close();
  });
});
