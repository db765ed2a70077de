import { EmbeddedBus, type Bus, type BusMessage } from '@patternmesh/bus';
import { eventually } from '@patternmesh/bus/testing';
import { decodePattern, encodePattern, messageKey, pipelineTopics } from '@patternmesh/pattern';
import { aPattern } from '@patternmesh/pattern/testing';
import type { Pattern } from '@patternmesh/proto';
import type { RunningServices } from '@patternmesh/service-kit';
import { startServicesForTest } from '@patternmesh/service-kit/testing';
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

const raw = (entity: string): Pattern =>
  aPattern({ entity, payload: Buffer.from('{"level":"error","message":"disk full"}') });

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
    running = await startServicesForTest(
      [normalizerService],
      {
        PATTERNMESH_RETRY_DELAY_MS: '20',
        // More deliveries than the outage lasts: the message must wait, not be dead-lettered.
        PATTERNMESH_MAX_DELIVERIES: '1000',
      },
      { bus },
    );
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
