// What LoadHistory promises on any bus: the embedded test runs it on the in-memory bus, the broker test
// on a real Pulsar broker (where the topic is also compacted in between, as the broker does on its own).
import type { Bus, OutgoingMessage } from '@patternmesh/bus';
import { createLogger, type Logger } from '@patternmesh/service-kit';
import { describe, expect, it } from 'vitest';
import { LoadHistory } from '../src/history';

export interface HistoryBus {
  readonly bus: Bus;
  /** A topic no other test uses. */
  topic(): string;
  /** Compacts the topic and waits for it (the embedded bus compacts as it goes: nothing to do). */
  compact(topic: string): Promise<void>;
}

const STEP = 1000;
/** Not aligned to a bucket: the series' grid is wherever the first sample fell. */
const T0 = 1_764_000_000_000 + 12_345;

const silent = createLogger('history-test', { level: 'silent' });

function recording(logger: Logger = silent) {
  const warnings: unknown[] = [];
  const wrapped = Object.create(logger) as Logger;
  wrapped.warn = ((obj: unknown) => void warnings.push(obj)) as Logger['warn'];
  return { logger: wrapped, warnings };
}

const seriesOf = (values: Float64Array) => Array.from(values, (v) => (Number.isNaN(v) ? null : v));

export function loadHistorySuite(setup: () => HistoryBus): void {
  const history = (topic: string, options: { keepSteps?: number; now?: number; logger?: Logger } = {}) =>
    new LoadHistory({
      bus: setup().bus,
      topic,
      stepMs: STEP,
      keepSteps: options.keepSteps ?? 10_000,
      logger: options.logger ?? silent,
      now: () => options.now ?? T0 + 200 * STEP,
    });

  describe('the autoscaler’s load history on the bus', () => {
    it('gives a restarted autoscaler each stage’s steps as they were recorded, gaps included', async () => {
      const topic = setup().topic();
      const writer = history(topic);
      const normalize = Array.from({ length: 150 }, (_, i) => (i >= 70 && i < 80 ? null : 100 + i / 4));
      normalize.forEach((v, i) => writer.record('normalize', T0 + i * STEP, v ?? Number.NaN));
      for (let i = 0; i < 30; i++) writer.record('route', T0 + (100 + i) * STEP, 7);
      await writer.flush();
      await setup().compact(topic);

      const restored = await history(topic).restore();
      expect([...restored.keys()].sort()).toEqual(['normalize', 'route']);
      expect(restored.get('normalize')!.start).toBe(T0);
      expect(seriesOf(restored.get('normalize')!.values)).toEqual(normalize);
      expect(restored.get('route')!.start).toBe(T0 + 100 * STEP);
      expect(seriesOf(restored.get('route')!.values)).toEqual(Array(30).fill(7));
    });

    it('goes on in the bucket the previous autoscaler left half full, and keeps the latest version', async () => {
      const topic = setup().topic();
      const first = history(topic);
      for (let i = 0; i < 90; i++) first.record('classify', T0 + i * STEP, i);
      await first.flush();

      const second = history(topic);
      const restored = await second.restore();
      expect(restored.get('classify')!.values.length).toBe(90);
      // The restarted one's steps continue the same grid, into the bucket the first one left open.
      for (let i = 90; i < 130; i++) second.record('classify', T0 + i * STEP, i);
      await second.flush();
      await setup().compact(topic);

      const third = await history(topic).restore();
      expect(seriesOf(third.get('classify')!.values)).toEqual(Array.from({ length: 130 }, (_, i) => i));
    });

    it('keeps only the last keepSteps steps: older buckets are deleted from the topic', async () => {
      const topic = setup().topic();
      const writer = history(topic, { keepSteps: 120 });
      for (let i = 0; i < 400; i++) {
        writer.record('normalize', T0 + i * STEP, i);
        if (i % 10 === 9) await writer.flush(); // as the rounds do: old buckets reach the topic first
      }
      await setup().compact(topic);

      // Even a reader that would keep everything finds only what the writer kept (whole buckets of 60).
      const restored = (await history(topic, { now: T0 + 400 * STEP }).restore()).get('normalize')!;
      const end = restored.start + restored.values.length * STEP;
      expect(end).toBe(T0 + 400 * STEP);
      expect(restored.values.length).toBeGreaterThanOrEqual(120);
      expect(restored.values.length).toBeLessThanOrEqual(180);
      expect(restored.values[0]).toBe(400 - restored.values.length);
    });

    it('leaves out buckets of another step size and unreadable ones, and says so', async () => {
      const topic = setup().topic();
      const { bus } = setup();
      const publishJson = (key: string, json: unknown) =>
        bus.publish(topic, { key, payload: Buffer.from(JSON.stringify(json)) });
      await publishJson('normalize/0', { stage: 'normalize', stepMs: 60_000, start: T0, values: [1, 2] });
      await publishJson('route/0', { stage: 'route', stepMs: STEP, start: T0, values: ['x'] });
      await bus.publish(topic, { key: 'route/1', payload: Buffer.from('not json') });
      await publishJson('classify/0', { stage: 'classify', stepMs: STEP, start: T0, values: [3, null, 4] });

      const { logger, warnings } = recording();
      const restored = await history(topic, { logger }).restore();
      expect([...restored.keys()]).toEqual(['classify']);
      expect(seriesOf(restored.get('classify')!.values)).toEqual([3, null, 4]);
      expect(warnings).toEqual([expect.objectContaining({ unreadable: 2, otherStep: 1 })]);
    });

    it('writes again on the next flush what a failed publish did not write', async () => {
      const topic = setup().topic();
      const { bus } = setup();
      let failures = 1;
      const flaky: Bus = Object.create(bus) as Bus;
      flaky.publish = async (t: string, m: OutgoingMessage) => {
        if (failures-- > 0) throw new Error('broker hiccup');
        return bus.publish(t, m);
      };
      const { logger, warnings } = recording();
      const writer = new LoadHistory({ bus: flaky, topic, stepMs: STEP, keepSteps: 1000, logger });
      writer.record('normalize', T0, 5);
      await writer.flush();
      expect(warnings).toHaveLength(1);
      expect((await history(topic).restore()).size).toBe(0);
      await writer.flush();
      expect(seriesOf((await history(topic).restore()).get('normalize')!.values)).toEqual([5]);
    });
  });
}
