import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { BusMessage, Subscription } from '@patternmesh/bus';
import { eventually } from '@patternmesh/bus/testing';
import { connectBus } from '@patternmesh/bus-factory';
import { decodePattern, encodePattern, laneTopic, patternToJson, pipelineTopics } from '@patternmesh/pattern';
import { aNormalized, aPattern } from '@patternmesh/pattern/testing';
import { Priority, Severity } from '@patternmesh/proto';
import { deleteTenants, ensurePythonPulsarClient, pythonScript } from '@patternmesh/pulsar-tools';
import { createLogger, startServices, type RunningServices } from '@patternmesh/service-kit';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { routerService } from '../src/service';
import { routerBrokerConfig } from './broker-config';

/**
 * Subscribers in other languages read a lane through the schema registry, with no copy of our .proto:
 * the router (default settings) publishes a Pattern to a lane, and the official Python client
 * (`pulsar-client` from PyPI, its own native libpulsar) reads it, fetches the schema version the
 * message names from the registry, builds the message class from the descriptor set with the
 * `protobuf` package and decodes it — to exactly what our own codec reads.
 */
const run = promisify(execFile);
const TOPIC_TENANT = `sch${Date.now().toString(36)}`;
const CUSTOMER = `scust${Date.now().toString(36)}`;
const logger = createLogger('test', { level: 'silent' });
const topics = pipelineTopics(TOPIC_TENANT);
const lane = laneTopic(CUSTOMER, 'critical');

const config = () => routerBrokerConfig(TOPIC_TENANT, CUSTOMER);

interface PythonRead {
  schemaVersion: number;
  schemaType: string;
  rootMessageTypeName: string;
  message: Record<string, unknown>;
}

describe('lane topics carry the Pattern schema (official Python client, real broker)', () => {
  let python: string;
  let router: RunningServices;
  let subscriber: Awaited<ReturnType<typeof connectBus>>;
  let ours: Subscription;
  const arrived: BusMessage[] = [];

  beforeAll(async () => {
    // On a fresh machine this creates the venv (pip install from PyPI); later runs reuse it.
    const venv = await ensurePythonPulsarClient({ log: (m) => console.log(`python client: ${m}`) });
    console.log(`python client: ${venv.created ? 'created' : 'cached'} in ${Math.round(venv.ms)} ms`);
    python = venv.python;
    router = await startServices([routerService], { config: config(), logger });
    subscriber = await connectBus(config(), logger, { topics, tenants: [] });
    // The Python reader's subscription exists before anything is routed, so it misses nothing.
    await (
      await subscriber.subscribe(
        { topic: lane, subscription: 'python', type: 'Shared', initialPosition: 'earliest' },
        () => Promise.reject(new Error('not this consumer')),
      )
    ).close();
    ours = await subscriber.subscribe(
      { topic: lane, subscription: 'typescript', type: 'Shared', initialPosition: 'earliest' },
      async (message) => void arrived.push(message),
    );
  }, 600_000);

  afterAll(async () => {
    await ours?.close();
    await subscriber?.close();
    await router?.stop();
    await deleteTenants(inject('pulsarAdminUrl'), [TOPIC_TENANT, CUSTOMER]);
  });

  it('a Pattern routed to a lane decodes in Python from the registry alone, as it does with our codec', async () => {
    const pattern = aPattern({
      id: '01930000-0000-7000-8000-00000000beef',
      tenant: CUSTOMER,
      source: 'edr.falcon',
      entity: 'host-7',
      receivedAt: new Date('2026-03-04T05:06:07.089Z'),
      payload: Buffer.from('{"alert":"x"}'),
      attributes: { region: 'eu' },
      normalized: aNormalized({
        kind: 'alert',
        severity: Severity.SEVERITY_HIGH,
        host: 'host-7',
        dstPort: 443,
        amount: 12.5,
        tags: ['a', 'b'],
        extra: { rule: 'r-1', hits: 3 },
      }),
      classification: {
        category: 'intrusion',
        priority: Priority.PRIORITY_CRITICAL,
        score: 0.97,
        labels: ['apt'],
        modelVersion: 'm-1',
        ruleIds: ['r-1'],
        explanation: 'because',
      },
    });
    await router.bus.publish(topics.classified, {
      key: `${CUSTOMER}/edr.falcon/host-7`,
      payload: encodePattern(pattern),
    });
    await eventually(() => expect(arrived).toHaveLength(1), 60_000);
    const expected = patternToJson(decodePattern(arrived[0]!.payload));

    const { stdout } = await run(
      python,
      [
        pythonScript('read_lane.py'),
        ...['--service-url', inject('pulsarUrl'), '--admin-url', inject('pulsarAdminUrl')],
        ...['--topic', lane, '--subscription', 'python', '--timeout-ms', '60000'],
      ],
      { timeout: 120_000 },
    );
    const read = JSON.parse(stdout) as PythonRead;
    expect(read).toMatchObject({
      schemaType: 'PROTOBUF_NATIVE',
      rootMessageTypeName: 'patternmesh.pattern.v1.Pattern',
    });
    expect(read.schemaVersion).toBeGreaterThanOrEqual(0);
    expect(read.message).toMatchObject({
      id: pattern.id,
      tenant: CUSTOMER,
      entity: 'host-7',
      receivedAt: '2026-03-04T05:06:07.089Z',
      payload: Buffer.from('{"alert":"x"}').toString('base64'),
      attributes: { region: 'eu' },
      normalized: { severity: 'SEVERITY_HIGH', dstPort: 443, extra: { rule: 'r-1', hits: 3 } },
      classification: { priority: 'PRIORITY_CRITICAL', score: 0.97 },
      route: { lane: 'LANE_CRITICAL', destinations: expect.arrayContaining([lane]) },
    });
    // Field for field what our own codec decodes (both in the proto3 JSON mapping).
    expect(read.message).toEqual(expected);
  });
});
