import { EmbeddedBus, type Bus, type BusMessage } from '@patternmesh/bus';
import { eventually } from '@patternmesh/bus/testing';
import { decodePattern, encodePattern, messageKey, pipelineTopics } from '@patternmesh/pattern';
import type { Pattern } from '@patternmesh/proto';
import {
  createLogger,
  loadServicesConfig,
  startServices,
  type RunningServices,
} from '@patternmesh/service-kit';
import { afterEach, describe, expect, it } from 'vitest';
import { normalizerService } from '../src/service';

/** The embedded bus, with publishes to one topic failing while `down` is true (a broker outage). */
class FlakyOutput extends EmbeddedBus {
  down = true;
  failures = 0;
  constructor(private readonly failingTopic: string) {
    super();
  }
  override async publish(topic: string, message: Parameters<Bus['publish']>[1]): Promise<string> {
    if (topic === this.failingTopic && this.down) {
      this.failures++;
      throw new Error('broker unavailable');
    }
    return super.publish(topic, message);
  }
}

const topics = pipelineTopics();
let running: RunningServices | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

const raw = (entity: string): Pattern => ({
  id: `01930000-0000-7000-8000-0000000000${entity.slice(-2)}`,
  tenant: 'acme',
  source: 'app.logs',
  entity,
  receivedAt: new Date(0),
  eventTime: undefined,
  idempotencyKey: '',
  contentType: 'application/json',
  payload: Buffer.from('{"level":"error","message":"disk full"}'),
  attributes: {},
  normalized: undefined,
  classification: undefined,
  route: undefined,
});

describe('a stage whose output cannot be published', () => {
  it('keeps its input unacknowledged and retried, and the pattern arrives once the output is back', async () => {
    const bus = new FlakyOutput(topics.normalized);
    const out: BusMessage[] = [];
    const dead: BusMessage[] = [];
    await bus.subscribe({ topic: topics.normalized, subscription: 'probe', type: 'Shared' }, async (m) => {
      out.push(m);
    });
    await bus.subscribe(
      { topic: `${topics.raw}-normalizer-DLQ`, subscription: 'probe', type: 'Shared' },
      async (m) => void dead.push(m),
    );
    const config = loadServicesConfig([normalizerService], {
      PATTERNMESH_HTTP_PORT: '0',
      PATTERNMESH_GRPC_PORT: '0',
      PATTERNMESH_RETRY_DELAY_MS: '20',
      // More deliveries than the outage lasts: the message must wait, not be dead-lettered.
      PATTERNMESH_MAX_DELIVERIES: '1000',
    });
    running = await startServices([normalizerService], {
      config,
      logger: createLogger('test', { level: 'silent' }),
      bus,
    });
    const pattern = raw('host-01');
    await bus.publish(topics.raw, { key: messageKey(pattern), payload: encodePattern(pattern) });

    await eventually(() => expect(bus.failures).toBeGreaterThanOrEqual(3));
    expect(out).toHaveLength(0);
    // Still held by the subscription: not acknowledged while its output failed.
    const [held] = await bus.backlog([{ topic: topics.raw, subscription: 'normalizer' }]);
    expect(held?.backlog).toBe(1);

    bus.down = false;
    await eventually(() => expect(out).toHaveLength(1));
    expect(decodePattern(out[0]!.payload).id).toBe(pattern.id);
    await eventually(async () => {
      const [after] = await bus.backlog([{ topic: topics.raw, subscription: 'normalizer' }]);
      expect(after?.backlog).toBe(0);
    });
    expect(dead).toHaveLength(0);
  });
});
