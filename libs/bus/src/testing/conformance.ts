import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PatternmeshError } from '@patternmesh/errors';
import { DeadLetterProps } from '@patternmesh/pattern';
import type { Bus, BusMessage, MessageOutcome } from '../port';
import { eventually, uniqueName } from './helpers';

export type BusFactory = () => Promise<Bus>;

const text = (m: BusMessage): string => Buffer.from(m.payload).toString('utf8');
const payload = (s: string): Uint8Array => Buffer.from(s, 'utf8');

/**
 * The behaviour every bus adapter must have. Run it from each adapter's test file; a stage that works
 * on one adapter then works on the others. Every test uses fresh topic names, so the suite can run
 * against a long-lived broker.
 */
export function runBusConformance(name: string, factory: BusFactory, topicPrefix = 'conformance'): void {
  describe(`bus conformance: ${name}`, () => {
    let bus: Bus;
    const topic = (label: string): string => `${topicPrefix}-${uniqueName(label)}`;

    beforeAll(async () => {
      bus = await factory();
    });
    afterAll(async () => {
      await bus.close();
    });

    it('delivers payload, key and properties exactly as published, after publish resolved', async () => {
      const t = topic('roundtrip');
      const received: BusMessage[] = [];
      const sub = await bus.subscribe({ topic: t, subscription: 's', type: 'Shared' }, async (m) => {
        received.push(m);
      });
      const id = await bus.publish(t, {
        payload: payload('hello'),
        key: 'k1',
        properties: { a: '1', b: 'two' },
      });
      expect(typeof id).toBe('string');
      expect(id.length).toBeGreaterThan(0);
      await eventually(() => expect(received).toHaveLength(1));
      const m = received[0]!;
      expect(text(m)).toBe('hello');
      expect(m.key).toBe('k1');
      expect(m.properties).toMatchObject({ a: '1', b: 'two' });
      expect(m.redeliveryCount).toBe(0);
      expect(m.topic).toContain(t);
      await sub.drain();
    });

    it('readCompacted: a reader joining later sees the latest message of every key, then new ones', async () => {
      const t = topic('compacted');
      const lastByKey = (messages: BusMessage[]) =>
        Object.fromEntries(messages.map((m) => [m.key!, text(m)] as const));
      const early: BusMessage[] = [];
      const first = await bus.subscribe(
        { topic: t, subscription: uniqueName('r1'), type: 'Shared', durable: false, readCompacted: true },
        async (m) => void early.push(m),
      );
      for (const [key, value] of [
        ['routes', 'v1'],
        ['rules', 'r1'],
        ['routes', 'v2'],
      ] as const) {
        await bus.publish(t, { key, payload: payload(value) });
      }
      await eventually(() => expect(early).toHaveLength(3));

      const late: BusMessage[] = [];
      const second = await bus.subscribe(
        {
          topic: t,
          subscription: uniqueName('r2'),
          type: 'Shared',
          durable: false,
          readCompacted: true,
          initialPosition: 'earliest',
        },
        async (m) => void late.push(m),
      );
      await eventually(() => expect(lastByKey(late)).toEqual({ routes: 'v2', rules: 'r1' }));
      await bus.publish(t, { key: 'routes', payload: payload('v3') });
      await eventually(() => expect(lastByKey(late)).toEqual({ routes: 'v3', rules: 'r1' }));
      await Promise.all([first.close(), second.close()]);
    });

    it('Shared: splits messages across consumers and delivers each one once', async () => {
      const t = topic('shared');
      const seen = new Map<string, string[]>();
      const handler = (who: string) => async (m: BusMessage) => {
        seen.set(who, [...(seen.get(who) ?? []), text(m)]);
        await new Promise((r) => setTimeout(r, 2));
      };
      const a = await bus.subscribe(
        { topic: t, subscription: 's', type: 'Shared', maxInFlight: 2 },
        handler('a'),
      );
      const b = await bus.subscribe(
        { topic: t, subscription: 's', type: 'Shared', maxInFlight: 2 },
        handler('b'),
      );
      const sent = Array.from({ length: 60 }, (_, i) => `m${i}`);
      // One at a time: a broker may hand a batch of concurrently published messages to one consumer.
      for (const s of sent) await bus.publish(t, { payload: payload(s) });
      await eventually(() => expect([...seen.values()].flat().sort()).toEqual([...sent].sort()));
      expect(seen.get('a')?.length ?? 0).toBeGreaterThan(0);
      expect(seen.get('b')?.length ?? 0).toBeGreaterThan(0);
      await Promise.all([a.drain(), b.drain()]);
    });

    it('never hands a consumer more than maxInFlight unsettled messages', async () => {
      const t = topic('inflight');
      let current = 0;
      let peak = 0;
      let done = 0;
      const sub = await bus.subscribe(
        { topic: t, subscription: 's', type: 'Shared', maxInFlight: 3 },
        async () => {
          current++;
          peak = Math.max(peak, current);
          await new Promise((r) => setTimeout(r, 5));
          current--;
          done++;
        },
      );
      await Promise.all(
        Array.from({ length: 30 }, (_, i) => bus.publish(t, { payload: payload(String(i)) })),
      );
      await eventually(() => expect(done).toBe(30));
      expect(peak).toBeLessThanOrEqual(3);
      expect(peak).toBeGreaterThan(1);
      await sub.drain();
    });

    it('Key_Shared: keeps per-key order across two consumers', async () => {
      const t = topic('keyshared');
      const byKey = new Map<string, number[]>();
      const consumersByKey = new Map<string, Set<string>>();
      const handler = (who: string) => async (m: BusMessage) => {
        await new Promise((r) => setTimeout(r, Math.random() * 3));
        const key = m.key!;
        byKey.set(key, [...(byKey.get(key) ?? []), Number(text(m))]);
        consumersByKey.set(key, (consumersByKey.get(key) ?? new Set()).add(who));
      };
      const opts = { topic: t, subscription: 's', type: 'Key_Shared' as const, maxInFlight: 8 };
      const a = await bus.subscribe(opts, handler('a'));
      const b = await bus.subscribe(opts, handler('b'));
      const keys = Array.from({ length: 12 }, (_, i) => `key-${i}`);
      for (let n = 0; n < 20; n++) {
        await Promise.all(keys.map((key) => bus.publish(t, { key, payload: payload(String(n)) })));
      }
      await eventually(() => expect([...byKey.values()].flat()).toHaveLength(240));
      for (const key of keys) expect(byKey.get(key), key).toEqual(Array.from({ length: 20 }, (_, i) => i));
      const used = new Set([...consumersByKey.values()].flatMap((s) => [...s]));
      expect(used.size).toBe(2);
      await Promise.all([a.drain(), b.drain()]);
    });

    it('redelivers a failed message with a higher redelivery count', async () => {
      const t = topic('nack');
      const counts: number[] = [];
      const sub = await bus.subscribe(
        { topic: t, subscription: 's', type: 'Shared', nackDelayMs: 50 },
        async (m) => {
          counts.push(m.redeliveryCount);
          if (counts.length < 3) throw new Error('transient');
        },
      );
      await bus.publish(t, { payload: payload('retry-me') });
      await eventually(() => expect(counts).toHaveLength(3));
      expect(counts).toEqual([0, 1, 2]);
      await sub.drain();
    });

    it('dead-letters after the delivery limit, with origin, key, attempts and reason', async () => {
      const t = topic('dlq');
      const dlqTopic = `${t}-s-DLQ`;
      const dead: BusMessage[] = [];
      const dlq = await bus.subscribe(
        { topic: dlqTopic, subscription: 'inspect', type: 'Shared' },
        async (m) => {
          dead.push(m);
        },
      );
      let attempts = 0;
      const sub = await bus.subscribe(
        { topic: t, subscription: 's', type: 'Shared', nackDelayMs: 20, deadLetter: { maxDeliveries: 3 } },
        async () => {
          attempts++;
          throw new Error('cannot process: field x missing');
        },
      );
      const id = await bus.publish(t, {
        payload: payload('poison'),
        key: 'entity-7',
        properties: { origin: 'test' },
      });
      await eventually(() => expect(dead).toHaveLength(1));
      const m = dead[0]!;
      expect(attempts).toBe(3);
      expect(text(m)).toBe('poison');
      expect(m.key).toBe('entity-7');
      expect(m.properties).toMatchObject({
        origin: 'test',
        [DeadLetterProps.realTopic]: expect.stringContaining(t),
        [DeadLetterProps.attempts]: '3',
        [DeadLetterProps.reason]: 'cannot process: field x missing',
        [DeadLetterProps.subscription]: 's',
      });
      expect(m.properties[DeadLetterProps.originMessageId]).toBe(id);
      await Promise.all([sub.drain(), dlq.drain()]);
    });

    it('Key_Shared: a failed message is not overtaken by later messages of its key', async () => {
      const t = topic('ks-retry');
      const completed: string[] = [];
      let failedOnce = false;
      const sub = await bus.subscribe(
        { topic: t, subscription: 's', type: 'Key_Shared', maxInFlight: 8, nackDelayMs: 50 },
        async (m) => {
          const body = text(m);
          if (body === 'a1' && !failedOnce) {
            failedOnce = true;
            throw new Error('transient');
          }
          completed.push(body);
        },
      );
      for (const body of ['a1', 'a2', 'a3']) await bus.publish(t, { key: 'a', payload: payload(body) });
      await eventually(() => expect(completed).toHaveLength(3));
      expect(failedOnce).toBe(true);
      expect(completed).toEqual(['a1', 'a2', 'a3']);
      await sub.drain();
    });

    it('dead-letters a non-retryable failure at once, tells the owner, and does not redeliver it', async () => {
      const t = topic('poison');
      const dead: BusMessage[] = [];
      const told: string[] = [];
      const dlq = await bus.subscribe(
        { topic: `${t}-s-DLQ`, subscription: 'inspect', type: 'Shared' },
        async (m) => {
          dead.push(m);
        },
      );
      let attempts = 0;
      const sub = await bus.subscribe(
        {
          topic: t,
          subscription: 's',
          type: 'Key_Shared',
          nackDelayMs: 20,
          deadLetter: { maxDeliveries: 5 },
          onDeadLetter: (_m, dlqTopic, failure) => told.push(`${dlqTopic} ${failure.code}`),
        },
        async () => {
          attempts++;
          throw new PatternmeshError('VALIDATION_FAILED', { message: 'field x is required' });
        },
      );
      await bus.publish(t, { payload: payload('poison'), key: 'k' });
      await eventually(() => expect(dead).toHaveLength(1));
      expect(dead[0]!.properties[DeadLetterProps.errorCode]).toBe('VALIDATION_FAILED');
      expect(dead[0]!.properties[DeadLetterProps.attempts]).toBe('1');
      expect(told).toEqual([`${t}-s-DLQ VALIDATION_FAILED`]);
      await new Promise((r) => setTimeout(r, 300));
      expect(attempts).toBe(1);
      await Promise.all([sub.drain(), dlq.drain()]);
    });

    it('redelivers what a dead consumer held to the surviving consumer', async () => {
      const t = topic('dies');
      const opts = { topic: t, subscription: 's', type: 'Shared' as const, maxInFlight: 5 };
      let stuck = 0;
      const doomed = await bus.subscribe(opts, () => {
        stuck++;
        return new Promise<void>(() => undefined); // hangs, like a process that froze
      });
      await Promise.all(Array.from({ length: 5 }, (_, i) => bus.publish(t, { payload: payload(`m${i}`) })));
      await eventually(() => expect(stuck).toBe(5));
      const survived: string[] = [];
      const survivor = await bus.subscribe(opts, async (m) => {
        survived.push(text(m));
      });
      await doomed.close();
      await eventually(() => expect([...survived].sort()).toEqual(['m0', 'm1', 'm2', 'm3', 'm4']));
      await survivor.drain();
    });

    it('Key_Shared: a consumer dying mid-stream loses nothing and keeps per-key order', async () => {
      const t = topic('ks-dies');
      const opts = { topic: t, subscription: 's', type: 'Key_Shared' as const, maxInFlight: 4 };
      const byKey = new Map<string, number[]>();
      const record = (m: BusMessage): void => {
        byKey.set(m.key!, [...(byKey.get(m.key!) ?? []), Number(text(m))]);
      };
      let doomedSeen = 0;
      const doomed = await bus.subscribe(opts, (m) => {
        doomedSeen++;
        // Acks its first three, then freezes: what it froze on must reach the survivor, in order.
        if (doomedSeen <= 3) {
          record(m);
          return Promise.resolve();
        }
        return new Promise<void>(() => undefined);
      });
      const survivor = await bus.subscribe(opts, async (m) => {
        record(m);
      });
      const keys = Array.from({ length: 16 }, (_, i) => `k-${i}`);
      for (let n = 0; n < 10; n++) {
        await Promise.all(keys.map((key) => bus.publish(t, { key, payload: payload(String(n)) })));
      }
      await eventually(() => expect(doomedSeen).toBeGreaterThan(3));
      await doomed.close();
      await eventually(() => expect([...byKey.values()].flat().length).toBeGreaterThanOrEqual(160));
      for (const key of keys) {
        const seen = byKey.get(key) ?? [];
        // Redelivery after a crash may repeat a message (at-least-once), never skip or reorder.
        const firstSeen = seen.filter((n, i) => seen.indexOf(n) === i);
        expect(firstSeen, key).toEqual(Array.from({ length: 10 }, (_, i) => i));
        for (let i = 1; i < seen.length; i++) expect(seen[i]!, key).toBeGreaterThanOrEqual(seen[i - 1]!);
      }
      await survivor.drain();
    });

    it('subscribeBatch: hands over what is ready together, within maxBatchSize and maxInFlight, each once', async () => {
      const t = topic('batch');
      const sent = Array.from({ length: 40 }, (_, i) => `m${i}`);
      // Published before the subscription exists: it starts with a backlog, which comes in batches.
      await Promise.all(sent.map((s) => bus.publish(t, { payload: payload(s) })));
      const seen: BusMessage[] = [];
      const sizes: number[] = [];
      let inFlight = 0;
      let peakInFlight = 0;
      const sub = await bus.subscribeBatch(
        {
          topic: t,
          subscription: 's',
          type: 'Shared',
          initialPosition: 'earliest',
          maxInFlight: 6,
          maxBatchSize: 4,
        },
        async (messages) => {
          sizes.push(messages.length);
          inFlight += messages.length;
          peakInFlight = Math.max(peakInFlight, inFlight);
          await new Promise((r) => setTimeout(r, 5));
          seen.push(...messages);
          inFlight -= messages.length;
          return messages.map((): MessageOutcome => ({ ok: true }));
        },
      );
      await eventually(() => expect(seen.map(text).sort()).toEqual([...sent].sort()));
      expect(Math.max(...sizes)).toBeGreaterThan(1);
      expect(Math.max(...sizes)).toBeLessThanOrEqual(4);
      expect(peakInFlight).toBeLessThanOrEqual(6);
      await sub.drain();
      // Acked: a new consumer on the subscription gets nothing back.
      const again: BusMessage[] = [];
      const later = await bus.subscribe({ topic: t, subscription: 's', type: 'Shared' }, async (m) => {
        again.push(m);
      });
      await new Promise((r) => setTimeout(r, 300));
      expect(again).toEqual([]);
      expect(seen.every((m) => m.redeliveryCount === 0)).toBe(true);
      await later.drain();
    });

    it('subscribeBatch: a failed message is retried or dead-lettered alone; its batch-mates are acked once', async () => {
      const t = topic('batch-fail');
      const dead: BusMessage[] = [];
      const dlq = await bus.subscribe(
        { topic: `${t}-s-DLQ`, subscription: 'inspect', type: 'Shared' },
        async (m) => void dead.push(m),
      );
      const sent = Array.from({ length: 8 }, (_, i) => `m${i}`);
      await Promise.all(sent.map((s) => bus.publish(t, { key: `k-${s}`, payload: payload(s) })));
      const deliveries = new Map<string, number[]>();
      let largestBatchWithFailure = 0;
      const sub = await bus.subscribeBatch(
        {
          topic: t,
          subscription: 's',
          type: 'Key_Shared',
          initialPosition: 'earliest',
          nackDelayMs: 50,
          maxInFlight: 8,
          maxBatchSize: 8,
          deadLetter: { maxDeliveries: 3 },
        },
        async (messages) =>
          messages.map((m): MessageOutcome => {
            const body = text(m);
            deliveries.set(body, [...(deliveries.get(body) ?? []), m.redeliveryCount]);
            if (body === 'm2' && m.redeliveryCount === 0) {
              largestBatchWithFailure = Math.max(largestBatchWithFailure, messages.length);
              return { ok: false, error: new Error('transient') };
            }
            if (body === 'm5') {
              largestBatchWithFailure = Math.max(largestBatchWithFailure, messages.length);
              return {
                ok: false,
                error: new PatternmeshError('VALIDATION_FAILED', { message: 'field x is required' }),
              };
            }
            return { ok: true };
          }),
      );
      await eventually(() => {
        expect(deliveries.get('m2')).toEqual([0, 1]);
        expect(dead.map(text)).toEqual(['m5']);
      });
      await new Promise((r) => setTimeout(r, 300));
      expect(largestBatchWithFailure).toBeGreaterThan(1);
      for (const body of sent) {
        const expected = body === 'm2' ? [0, 1] : [0];
        expect(deliveries.get(body), body).toEqual(expected);
      }
      expect(dead[0]!.properties[DeadLetterProps.errorCode]).toBe('VALIDATION_FAILED');
      await Promise.all([sub.drain(), dlq.drain()]);
    });

    it('subscribeBatch: a handler that throws fails every message of its batch, and they come back', async () => {
      const t = topic('batch-throw');
      const sent = ['a', 'b', 'c'];
      await Promise.all(sent.map((s) => bus.publish(t, { payload: payload(s) })));
      let calls = 0;
      const firstTry = new Set<string>();
      const done = new Map<string, number>();
      const sub = await bus.subscribeBatch(
        { topic: t, subscription: 's', type: 'Shared', initialPosition: 'earliest', nackDelayMs: 50 },
        async (messages) => {
          calls++;
          if (calls === 1) {
            for (const m of messages) firstTry.add(text(m));
            throw new Error('the whole batch failed');
          }
          for (const m of messages) done.set(text(m), m.redeliveryCount);
          return messages.map((): MessageOutcome => ({ ok: true }));
        },
      );
      await eventually(() => expect([...done.keys()].sort()).toEqual(sent));
      for (const body of firstTry) expect(done.get(body), body).toBeGreaterThanOrEqual(1);
      await sub.drain();
    });

    it('subscribeBatch Key_Shared: no batch holds two messages of one key, and per-key order holds across consumers', async () => {
      const t = topic('batch-ks');
      const byKey = new Map<string, number[]>();
      const consumersByKey = new Map<string, Set<string>>();
      let repeatedKeyInBatch = false;
      let largest = 0;
      const handler = (who: string) => async (messages: readonly BusMessage[]) => {
        largest = Math.max(largest, messages.length);
        if (new Set(messages.map((m) => m.key)).size !== messages.length) repeatedKeyInBatch = true;
        await new Promise((r) => setTimeout(r, Math.random() * 3));
        for (const m of messages) {
          byKey.set(m.key!, [...(byKey.get(m.key!) ?? []), Number(text(m))]);
          consumersByKey.set(m.key!, (consumersByKey.get(m.key!) ?? new Set()).add(who));
        }
        return messages.map((): MessageOutcome => ({ ok: true }));
      };
      const opts = {
        topic: t,
        subscription: 's',
        type: 'Key_Shared' as const,
        maxInFlight: 16,
        maxBatchSize: 8,
      };
      const a = await bus.subscribeBatch(opts, handler('a'));
      const b = await bus.subscribeBatch(opts, handler('b'));
      const keys = Array.from({ length: 12 }, (_, i) => `key-${i}`);
      for (let n = 0; n < 20; n++) {
        await Promise.all(keys.map((key) => bus.publish(t, { key, payload: payload(String(n)) })));
      }
      await eventually(() => expect([...byKey.values()].flat()).toHaveLength(240));
      for (const key of keys) expect(byKey.get(key), key).toEqual(Array.from({ length: 20 }, (_, i) => i));
      expect(repeatedKeyInBatch).toBe(false);
      expect(largest).toBeGreaterThan(1);
      expect(new Set([...consumersByKey.values()].flatMap((s) => [...s])).size).toBe(2);
      await Promise.all([a.drain(), b.drain()]);
    });

    it('drain waits for in-flight work to finish before closing', async () => {
      const t = topic('drain');
      let started = 0;
      let finished = 0;
      const sub = await bus.subscribe(
        { topic: t, subscription: 's', type: 'Shared', maxInFlight: 4 },
        async () => {
          started++;
          await new Promise((r) => setTimeout(r, 50));
          finished++;
        },
      );
      await Promise.all(Array.from({ length: 4 }, (_, i) => bus.publish(t, { payload: payload(String(i)) })));
      await eventually(() => expect(started).toBe(4));
      expect(finished).toBeLessThan(4);
      await sub.drain();
      expect(finished).toBe(4);
    });
  });
}
