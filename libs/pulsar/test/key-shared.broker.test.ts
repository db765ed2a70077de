import { describe, expect, it } from 'vitest';
import type { Consumer, Message } from '../src/index';
import { PulsarClient } from '../src/index';
import { brokerUrl, closeAfter, newClient, uniqueTopic } from './helpers';

const KEYS = Array.from({ length: 12 }, (_, i) => `key-${i}`);

/** Per-key sequence numbers processed (acked) by a consumer, in processing order. */
type Log = Map<string, number[]>;

function record(log: Log, m: Message): void {
  const k = m.key!;
  const seq = Number(m.payload.toString());
  if (!log.has(k)) log.set(k, []);
  log.get(k)!.push(seq);
}

function expectIncreasing(log: Log): void {
  for (const [k, seqs] of log) {
    for (let i = 1; i < seqs.length; i++) {
      if (seqs[i]! <= seqs[i - 1]!) throw new Error(`key ${k} out of order: ${seqs.join(',')}`);
    }
  }
}

async function consumeUntil(consumer: Consumer, log: Log, done: () => boolean, ack = true): Promise<void> {
  while (!done()) {
    let m: Message;
    try {
      m = await consumer.receive(15_000);
    } catch {
      return;
    }
    record(log, m);
    if (ack) await consumer.ack(m);
  }
}

describe('Key_Shared', () => {
  for (const mode of ['close', 'die'] as const) {
    // 'dies' once stalled in about 1 run in 80 under CPU load: the survivor got nothing more. Cause: a
    // broker race in Key_Shared look-ahead at the tail (see src/dispatch-stall.ts), which the consumer's
    // starvation check (starvationCheckMs) now breaks; 0 stalls in 560 loaded runs with it.
    it(`keeps per-key order when one of two consumers ${mode === 'close' ? 'closes' : 'dies'} mid-stream`, async () => {
      const topic = uniqueTopic(`ks-${mode}`);
      const client = newClient();
      // The second consumer has its own client so that it can "die" (all its connections dropped at once).
      const clientB = closeAfter(new PulsarClient({ serviceUrl: brokerUrl() }));
      const subOpts = {
        topic,
        subscription: 'ks',
        type: 'Key_Shared' as const,
        initialPosition: 'earliest' as const,
        receiverQueueSize: 10,
        ackGroupingMs: 0,
      };
      const a = await client.subscribe(subOpts);
      const b = await clientB.subscribe(subOpts);
      // Single-key batches: the broker dispatches a batch entry by one key.
      const producer = await client.createProducer({
        topic,
        batching: { keyBased: true, maxDelayMs: 5, maxMessages: 10 },
      });

      const total = 600;
      const perKey = new Map<string, number>();
      const sends: Promise<unknown>[] = [];
      for (let i = 0; i < total; i++) {
        const key = KEYS[i % KEYS.length]!;
        const n = perKey.get(key) ?? 0;
        perKey.set(key, n + 1);
        sends.push(producer.send({ key, payload: String(n) }));
      }
      await Promise.all(sends);

      const logA: Log = new Map();
      const logB: Log = new Map();
      const count = (l: Log) => [...l.values()].reduce((s, v) => s + v.length, 0);
      // B processes a part of its share (acking), then goes away with unacked messages in its queue.
      await consumeUntil(b, logB, () => count(logB) >= 60);
      expect(count(logB)).toBeGreaterThanOrEqual(60);
      if (mode === 'close') await b.close();
      else await clientB.destroy();

      // A must now get everything B did not ack, in order per key.
      const union = () => {
        let n = 0;
        for (const key of KEYS) n += new Set([...(logA.get(key) ?? []), ...(logB.get(key) ?? [])]).size;
        return n;
      };
      await consumeUntil(a, logA, () => union() >= total);

      expectIncreasing(logA);
      expectIncreasing(logB);
      let handedOver = 0;
      for (const key of KEYS) {
        const seen = new Set([...(logA.get(key) ?? []), ...(logB.get(key) ?? [])]);
        expect(seen.size, `key ${key}`).toBe(perKey.get(key));
        // A key B held and had not finished: A continues it exactly after B's last message (A may also
        // re-deliver what B processed, when B's acks were lost with it), with no gap.
        const bLast = logB.get(key)?.at(-1);
        if (bLast === undefined || bLast === perKey.get(key)! - 1) continue;
        const aAfterB = (logA.get(key) ?? []).filter((n) => n > bLast);
        expect(aAfterB[0], `key ${key}`).toBe(bLast + 1);
        handedOver++;
      }
      // B went away mid-stream, so at least one of its keys was handed over: the check above ran.
      expect(handedOver).toBeGreaterThan(0);
    });
  }

  it('with key-based batching, interleaved keys share few entries, one key each, delivered in per-key order', async () => {
    const topic = uniqueTopic('ks-interleaved');
    const client = newClient();
    const subOpts = {
      topic,
      subscription: 'ks',
      type: 'Key_Shared' as const,
      initialPosition: 'earliest' as const,
      receiverQueueSize: 500,
    };
    const consumers = [await client.subscribe(subOpts), await client.subscribe(subOpts)];
    const producer = await client.createProducer({
      topic,
      batching: { keyBased: true, maxDelayMs: 50, maxMessages: 1000 },
      maxPendingMessages: 2000,
    });
    // The pipeline's traffic: every message a different key from the one before.
    const keys = 200;
    const total = 2000;
    await Promise.all(
      Array.from({ length: total }, (_, i) =>
        producer.send({ key: `tenant/source/entity-${i % keys}`, payload: String(Math.floor(i / keys)) }),
      ),
    );

    const received = await Promise.all(
      consumers.map(async (c) => {
        const got: Message[] = [];
        for (;;) {
          try {
            const m = await c.receive(3_000);
            got.push(m);
            await c.ack(m);
          } catch {
            return got;
          }
        }
      }),
    );
    const all = received.flat();
    expect(all).toHaveLength(total);
    const entryKeys = new Map<string, Set<string>>();
    for (const m of all) {
      const entry = `${m.id.ledgerId}:${m.id.entryId}`;
      if (!entryKeys.has(entry)) entryKeys.set(entry, new Set());
      entryKeys.get(entry)!.add(m.key!);
    }
    // Closing a batch on every key change would make one entry per message (2000); one open batch
    // per key makes one entry per key per flush (1000 messages a flush here: 2 × 200).
    expect(entryKeys.size).toBeLessThanOrEqual(total / 5);
    for (const ks of entryKeys.values()) expect(ks.size).toBe(1);
    // Each key goes to one consumer, in order.
    for (const got of received) {
      const log: Log = new Map();
      for (const m of got) record(log, m);
      expectIncreasing(log);
      for (const seqs of log.values()) expect(seqs).toHaveLength(total / keys);
    }
  });
});
