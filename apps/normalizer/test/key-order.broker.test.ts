import type { Bus, BusMessage, OutgoingMessage } from '@patternmesh/bus';
import { connectBus } from '@patternmesh/bus-factory';
import { eventually } from '@patternmesh/bus/testing';
import { decodePattern, encodePattern, messageKey, pipelineTopics } from '@patternmesh/pattern';
import { aPattern } from '@patternmesh/pattern/testing';
import * as grpc from '@grpc/grpc-js';
import { TelemetryServiceClient, type Pattern } from '@patternmesh/proto';
import { deleteTenants } from '@patternmesh/pulsar-tools';
import {
  createLogger,
  loadServicesConfig,
  startServices,
  type RunningServices,
} from '@patternmesh/service-kit';
import { unary } from '@patternmesh/service-kit/testing';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { normalizerService } from '../src/service';

/**
 * Per-key order through the real stage worker on Pulsar: two normalizer replicas on the 4-partition
 * `raw` (Key_Shared), and one output publish that fails once in the middle of a key's stream. The
 * failed message is retried before that key's next one, so every key's patterns reach `normalized`
 * in the order they were published.
 */
const TOPIC_TENANT = `order${Date.now().toString(36)}`;
const topics = pipelineTopics(TOPIC_TENANT);
const logger = createLogger('test', { level: 'silent' });
const replicas: RunningServices[] = [];
const buses: Bus[] = [];

const config = () =>
  loadServicesConfig([normalizerService], {
    PATTERNMESH_BUS: 'pulsar',
    PULSAR_URL: inject('pulsarUrl'),
    PULSAR_ADMIN_URL: inject('pulsarAdminUrl'),
    PATTERNMESH_PULSAR_PROVISION: 'true',
    PATTERNMESH_TOPIC_TENANT: TOPIC_TENANT,
    PATTERNMESH_HTTP_PORT: '0',
    PATTERNMESH_GRPC_PORT: '0',
    PATTERNMESH_RETRY_DELAY_MS: '50',
    PATTERNMESH_STAGE_CONCURRENCY: '16',
  });

/** Whichever replica handles it, the first output publish of one pattern fails (a broker hiccup). */
const hiccup = { entity: 'host-03', seq: 7, happened: false };
function failOnce(bus: Bus): Bus {
  const publish = bus.publish.bind(bus);
  bus.publish = async (topic: string, message: OutgoingMessage) => {
    if (!hiccup.happened && topic === topics.normalized) {
      const p = decodePattern(message.payload);
      if (p.entity === hiccup.entity && p.attributes['seq'] === String(hiccup.seq)) {
        hiccup.happened = true;
        throw new Error('publish failed once');
      }
    }
    return publish(topic, message);
  };
  return bus;
}

const pattern = (entity: string, seq: number): Pattern =>
  aPattern({
    id: `01930000-0000-7000-8000-${String(seq).padStart(6, '0')}${entity.slice(-6).padStart(6, '0')}`,
    entity,
    payload: Buffer.from(JSON.stringify({ level: 'info', message: `step ${seq}` })),
    attributes: { seq: String(seq) },
  });

afterAll(async () => {
  for (const replica of replicas) await replica.stop();
  for (const bus of buses) await bus.close();
  await deleteTenants(inject('pulsarAdminUrl'), [TOPIC_TENANT]);
});

describe('per-key order through two normalizer replicas on the partitioned raw topic', () => {
  it('keeps every key in publish order across a redelivery', async () => {
    const entities = Array.from({ length: 8 }, (_, i) => `host-${String(i).padStart(2, '0')}`);
    const perKey = 25;
    for (let r = 0; r < 2; r++) {
      const bus = await connectBus(config(), logger, { topics, tenants: [] });
      buses.push(bus);
      replicas.push(
        await startServices([normalizerService], { config: config(), logger, bus: failOnce(bus) }),
      );
    }
    const checkerBus = await connectBus(config(), logger, { topics, tenants: [] });
    buses.push(checkerBus);
    const out: BusMessage[] = [];
    await checkerBus.subscribe(
      { topic: topics.normalized, subscription: 'checker', type: 'Shared', initialPosition: 'earliest' },
      async (m) => void out.push(m),
    );

    for (let seq = 0; seq < perKey; seq++) {
      await Promise.all(
        entities.map((entity) => {
          const p = pattern(entity, seq);
          return checkerBus.publish(topics.raw, { key: messageKey(p), payload: encodePattern(p) });
        }),
      );
    }

    const seqsByKey = () => {
      const byKey = new Map<string, number[]>();
      for (const m of out) {
        const p = decodePattern(m.payload);
        byKey.set(p.entity, [...(byKey.get(p.entity) ?? []), Number(p.attributes['seq'])]);
      }
      return byKey;
    };
    await eventually(
      () => expect(new Set(out.map((m) => decodePattern(m.payload).id)).size).toBe(entities.length * perKey),
      60_000,
    );
    for (const [entity, seqs] of seqsByKey()) {
      // Duplicates are allowed (at-least-once); going backwards is not.
      const firstSeen = seqs.filter((s, i) => seqs.indexOf(s) === i);
      expect(firstSeen, entity).toEqual(Array.from({ length: perKey }, (_, i) => i));
    }
    expect(hiccup.happened).toBe(true);
    // Both replicas did part of the work (Key_Shared spread the keys).
    for (const replica of replicas) {
      const client = new TelemetryServiceClient(
        `127.0.0.1:${replica.grpcPort}`,
        grpc.credentials.createInsecure(),
      );
      const load = await unary(client, client.getLoad, {}, new grpc.Metadata());
      client.close();
      expect(load.stages[0]?.processedTotal).toBeGreaterThan(0);
    }
  });
});
