import { decodePattern, pipelineTopics } from '@patternmesh/pattern';
import { Lane, Priority, type Pattern } from '@patternmesh/proto';
import { PulsarClient, type Consumer } from '@patternmesh/pulsar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteTenants } from '@patternmesh/pulsar-tools';
import { launchDistributed, type Distributed } from '../src/launch';

// The five services as separate processes on a real Pulsar broker, checked the way a subscriber
// sees them: with a Pulsar client on the lane topic, decoding the published protobuf envelope.
let running: Distributed;
let client: PulsarClient;
let critical: Consumer;

const KEY = 'e2e-key';
// A tenant of its own per run: a broker reused across runs may still route an earlier run's
// (at-least-once) duplicates to the earlier tenant's topics, never to this one.
const TENANT = `e2e${Date.now().toString(36)}`;
// And pipeline topics of its own: no other suite's stages (the all-in-one's) may consume them, or a
// "kill the classifier, lose nothing" test could pass with somebody else's classifier doing the work.
const TOPIC_TENANT = `e2epipe${Date.now().toString(36)}`;
const fraud = (entity: string, amount: number) => ({
  source: 'fraud.cards',
  entity,
  payload: {
    customer_id: 'cust-1',
    amount,
    currency: 'EUR',
    merchant: 'shop',
    channel: 'online',
    risk_score: 97,
  },
});

async function post(body: unknown): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${running.service('ingest-gateway').httpPort}/v1/patterns`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': KEY },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(202);
  return ((await response.json()) as { id: string }).id;
}

/** Reads the lane until every expected id arrived (duplicates are allowed: delivery is at-least-once). */
async function receiveAll(expected: readonly string[]): Promise<Map<string, Pattern>> {
  const got = new Map<string, Pattern>();
  while (!expected.every((id) => got.has(id))) {
    const message = await critical.receive(60_000);
    const pattern = decodePattern(message.payload);
    got.set(pattern.id, pattern);
    await critical.ack(message);
  }
  return got;
}

beforeAll(async () => {
  running = await launchDistributed({
    apiKeys: `${KEY}=${TENANT}`,
    topicTenant: TOPIC_TENANT,
    stdio: 'ignore',
  });
  client = new PulsarClient({ serviceUrl: running.pulsarUrl });
  critical = await client.subscribe({
    topic: `persistent://${TENANT}/patterns/critical`,
    subscription: `e2e-${Date.now()}`,
    type: 'Exclusive',
    initialPosition: 'latest',
  });
});

afterAll(async () => {
  await critical?.close();
  await client?.close();
  await running?.stop();
  if (running) await deleteTenants(running.adminUrl, [TENANT, TOPIC_TENANT]);
});

describe('distributed pipeline on Apache Pulsar', () => {
  it('delivers a posted pattern to the lane topic as a protobuf envelope with every stage filled in', async () => {
    const id = await post(fraud('card-1', 20_000));
    const message = await critical.receive(60_000);
    await critical.ack(message);
    const p = decodePattern(message.payload);
    expect(p.id).toBe(id);
    expect(message.key).toBe(`${TENANT}/fraud.cards/card-1`);
    expect(message.properties['pm-lane']).toBe('critical');
    expect(message.properties['traceparent']).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/);
    expect(p.tenant).toBe(TENANT);
    expect(p.normalized?.amount).toBe(20_000);
    expect(p.classification?.category).toBe('fraud');
    expect(p.classification?.priority).toBe(Priority.PRIORITY_CRITICAL);
    expect(p.route?.lane).toBe(Lane.LANE_CRITICAL);
    expect(p.route?.destinations).toContain(pipelineTopics(TOPIC_TENANT).archive);
  });

  it('loses nothing when a stage is killed mid-stream and restarted', async () => {
    const before = await Promise.all(
      Array.from({ length: 20 }, (_, i) => post(fraud(`card-a${i}`, 30_000 + i))),
    );
    await running.crashAndRestart('classifier');
    const after = await Promise.all(
      Array.from({ length: 20 }, (_, i) => post(fraud(`card-b${i}`, 40_000 + i))),
    );
    const got = await receiveAll([...before, ...after]);
    for (const id of [...before, ...after]) expect(got.get(id)?.route?.lane).toBe(Lane.LANE_CRITICAL);
  });

  it('a stage stopped with SIGTERM while patterns flow drains, exits 0, and loses nothing', async () => {
    // Posts keep going while the classifier stops: some patterns are in its hands at SIGTERM.
    const posting = Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        new Promise<void>((resolve) => setTimeout(resolve, i * 15)).then(() =>
          post(fraud(`card-t${i}`, 50_000 + i)),
        ),
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    const exited = await running.stopAndRestart('classifier');
    expect(exited).toEqual({ code: 0, signal: null });
    const ids = await posting;
    const got = await receiveAll(ids);
    for (const id of ids) expect(got.get(id)?.route?.lane).toBe(Lane.LANE_CRITICAL);
  });
});
