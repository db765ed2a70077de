/**
 * Broker crash: kill -9 the broker mid-stream, restart it on the same ports and data, and check that
 * every message whose send() resolved is delivered. Runs on a dedicated broker instance so the shared
 * one other tests use is never disturbed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message, MessageId } from '../src/index';
import { PulsarClient } from '../src/index';
import { type BrokerHandle, ensureBroker } from '@patternmesh/pulsar-tools';
import { closeAfter } from './helpers';

let broker: BrokerHandle;
const dataDir = path.join(os.tmpdir(), `patternmesh-pulsar-crash-${process.pid}`);

beforeAll(async () => {
  broker = await ensureBroker({
    dataDir,
    wipe: true,
    port: 0,
    webPort: 0,
    log: true,
  });
});

afterAll(async () => {
  await broker?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('broker kill -9 and restart', () => {
  it('loses no acknowledged message; producer and consumer reconnect by themselves', async () => {
    const topic = `persistent://public/default/crash-${Date.now().toString(36)}`;
    const client = closeAfter(
      new PulsarClient({
        serviceUrl: broker.serviceUrl,
        operationTimeoutMs: 60_000,
        connectionTimeoutMs: 5_000,
      }),
    );
    const consumer = await client.subscribe({
      topic,
      subscription: 'sub',
      type: 'Shared',
      initialPosition: 'earliest',
      ackGroupingMs: 20,
    });
    // sendTimeoutMs 0: messages wait out the outage in the pending queue instead of failing.
    const producer = await client.createProducer({
      topic,
      sendTimeoutMs: 0,
      maxPendingMessages: 500,
      batching: { maxDelayMs: 5, maxMessages: 50 },
    });

    const received = new Set<string>();
    let receiving = true;
    const receiver = (async () => {
      while (receiving) {
        let m: Message;
        try {
          m = await consumer.receive(500);
        } catch {
          continue;
        }
        received.add(m.payload.toString());
        await consumer.ack(m);
      }
    })();

    const acknowledged: string[] = [];
    const failed: unknown[] = [];
    const total = 3000;
    const inflight: Promise<MessageId | void>[] = [];
    let killed = false;
    for (let i = 0; i < total; i++) {
      const payload = `m-${i}`;
      inflight.push(
        producer.send({ payload }).then(
          (id) => {
            acknowledged.push(payload);
            return id;
          },
          (e: unknown) => {
            failed.push(e);
          },
        ),
      );
      if (i % 100 === 99) await new Promise((r) => setTimeout(r, 10));
      if (i === 1000 && !killed) {
        killed = true;
        await broker.kill9();
        // Keep sending while the broker is down: these queue up (backpressure) and go out after restart.
        void broker.restart();
      }
    }
    await Promise.all(inflight);
    expect(failed).toEqual([]);
    expect(acknowledged).toHaveLength(total);

    // Wait until the consumer has seen every acknowledged message (duplicates are allowed: no dedup here).
    const deadline = Date.now() + 90_000;
    while (acknowledged.some((p) => !received.has(p)) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 200));
    receiving = false;
    await receiver;
    const missing = acknowledged.filter((p) => !received.has(p));
    expect(missing).toEqual([]);
  });

  it('fails sends with PULSAR_SEND_TIMEOUT while the broker stays down', async () => {
    const topic = `persistent://public/default/timeout-${Date.now().toString(36)}`;
    const client = closeAfter(
      new PulsarClient({
        serviceUrl: broker.serviceUrl,
        operationTimeoutMs: 5_000,
        connectionTimeoutMs: 2_000,
      }),
    );
    const producer = await client.createProducer({
      topic,
      sendTimeoutMs: 1_000,
      batching: { enabled: false },
    });
    await producer.send({ payload: 'before' });
    await broker.kill9();
    await expect(producer.send({ payload: 'lost' })).rejects.toMatchObject({
      code: 'PULSAR_SEND_TIMEOUT',
      retryable: true,
    });
    await broker.restart();
  });
});
