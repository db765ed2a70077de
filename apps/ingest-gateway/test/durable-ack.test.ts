import { EmbeddedBus, type Bus, type OutgoingMessage } from '@patternmesh/bus';
import { decodePattern, pipelineTopics } from '@patternmesh/pattern';
import { createLogger, startHost, type RunningHost } from '@patternmesh/service-kit';
import { afterEach, describe, expect, it } from 'vitest';
import { createIngestGateway } from '../src/app';
import { loadGatewayConfig } from '../src/config';

/** A bus whose publishes stay pending until the test settles them, to observe when the gateway answers. */
class HeldBus extends EmbeddedBus {
  readonly held: Array<{
    topic: string;
    message: OutgoingMessage;
    accept: () => void;
    refuse: (e: Error) => void;
  }> = [];
  override publish(topic: string, message: OutgoingMessage): Promise<string> {
    return new Promise((resolve, reject) =>
      this.held.push({
        topic,
        message,
        accept: () => resolve(super.publish(topic, message)),
        refuse: reject,
      }),
    );
  }
}

let host: RunningHost | undefined;
afterEach(async () => {
  await host?.stop();
  host = undefined;
});

async function gateway(bus: Bus): Promise<string> {
  const config = loadGatewayConfig({ PATTERNMESH_API_KEYS: 'k=acme' });
  const logger = createLogger('test', { level: 'silent' });
  host = await startHost({
    logger,
    modules: [createIngestGateway({ bus, logger, topics: pipelineTopics(), config })],
    httpPort: 0,
    grpcPort: 0,
  });
  return `http://127.0.0.1:${host.httpPort}`;
}

const post = (base: string) =>
  fetch(`${base}/v1/patterns`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': 'k' },
    body: JSON.stringify({ source: 'app.logs', entity: 'host-1', payload: { message: 'hello' } }),
  });

describe('ingest gateway durable ack', () => {
  it('answers only after the bus accepted the pattern, with the id the bus stored', async () => {
    const bus = new HeldBus();
    const base = await gateway(bus);
    let answered = false;
    const response = post(base).then((r) => {
      answered = true;
      return r;
    });
    await expect.poll(() => bus.held.length).toBe(1);
    await new Promise((r) => setTimeout(r, 50));
    expect(answered).toBe(false);
    const held = bus.held[0]!;
    expect(held.topic).toBe('persistent://patternmesh/pipeline/raw');
    expect(held.message.key).toBe('acme/app.logs/host-1');
    held.accept();
    const r = await response;
    expect(r.status).toBe(202);
    const stored = decodePattern(held.message.payload);
    expect(((await r.json()) as { id: string }).id).toBe(stored.id);
    expect(stored.tenant).toBe('acme');
  });

  it('answers 503 BUS_UNAVAILABLE with retry-after when the bus refuses, and leaks nothing', async () => {
    const bus = new HeldBus();
    const base = await gateway(bus);
    const response = post(base);
    await expect.poll(() => bus.held.length).toBe(1);
    bus.held[0]!.refuse(new Error('broker 10.1.2.3 said: ManagedLedgerFencedException'));
    const r = await response;
    expect(r.status).toBe(503);
    expect(r.headers.get('retry-after')).toBe('1');
    const body = (await r.json()) as { error: { code: string; retryable: boolean; message: string } };
    expect(body.error.code).toBe('BUS_UNAVAILABLE');
    expect(body.error.retryable).toBe(true);
    expect(JSON.stringify(body)).not.toContain('10.1.2.3');
  });
});
