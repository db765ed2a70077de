/**
 * One measurement with the project's own Pulsar client, run in a process of its own (as pulsar-perf
 * runs in its own JVM), printing one JSON line. Modes:
 *   produce  <url> <topic> <messages> <size>        → {msgPerSec}
 *   consume  <url> <topic> <messages>               → {msgPerSec} (reads from the earliest message)
 *   latency  <url> <topic> <rate> <seconds> <size>  → {p50, p99} publish latency in ms at a fixed rate
 *   produce-keyed <url> <topic> <messages> <size> <keys> <delayMs> <maxMessages> <maxBytes> <maxPending>
 *            → {msgPerSec}: key-based batching, keys interleaved (message i has key i mod keys), the
 *              same loop and keys as java/KeyedProduce.java
 * Producer settings mirror pulsar-perf's defaults: batching on (1 ms, 1000 messages, 128 KiB) and at
 * most 1000 outstanding sends.
 */
import { PulsarClient, type Producer } from '@patternmesh/pulsar';
import { percentile } from '../stats';

const [mode, url, topic, ...rest] = process.argv.slice(2);
const client = new PulsarClient({ serviceUrl: url! });

function producer(): Promise<Producer> {
  return client.createProducer({
    topic: topic!,
    batching: { enabled: true, maxDelayMs: 1, maxMessages: 1000, maxBytes: 128 * 1024 },
    maxPendingMessages: 1000,
  });
}

/**
 * Sends `messages` messages keeping at most `maxPending` outstanding, refilled as receipts arrive — as
 * pulsar-perf's and KeyedProduce.java's semaphore does. (Waves of `maxPending`, awaited together, would
 * leave the pipe half empty at the end of each wave.) Timed from here to the last receipt.
 */
async function sendContinuously(
  p: Producer,
  messages: number,
  maxPending: number,
  message: (i: number) => { payload: Buffer; key?: string },
): Promise<Record<string, number>> {
  let outstanding = 0;
  let failed: unknown;
  let room: (() => void) | undefined;
  const done = (): void => {
    outstanding--;
    room?.();
    room = undefined;
  };
  const started = performance.now();
  for (let i = 0; i < messages; i++) {
    while (outstanding >= maxPending) await new Promise<void>((r) => (room = r));
    outstanding++;
    p.send(message(i)).then(done, (e: unknown) => {
      failed ??= e;
      done();
    });
  }
  while (outstanding > 0) await new Promise<void>((r) => (room = r));
  if (failed !== undefined) throw failed;
  const seconds = (performance.now() - started) / 1000;
  await p.close();
  return { msgPerSec: messages / seconds, seconds };
}

async function produce(messages: number, size: number): Promise<Record<string, number>> {
  const p = await producer();
  const payload = Buffer.alloc(size, 0x61);
  // Warm-up included, the same window as the Java tool's ("Created 1 producers" → "DONE").
  return sendContinuously(p, messages, 1000, () => ({ payload }));
}

/** The key of message `i`, shaped like the pipeline's tenant/source/entity (same as KeyedProduce.java). */
function keyNames(keys: number): string[] {
  return Array.from({ length: keys }, (_, k) => `tenant-${k % 10}/source-${k % 7}/entity-${k}`);
}

async function produceKeyed(
  messages: number,
  size: number,
  keys: number,
  maxDelayMs: number,
  maxMessages: number,
  maxBytes: number,
  maxPending: number,
): Promise<Record<string, number>> {
  const p = await client.createProducer({
    topic: topic!,
    batching: { enabled: true, keyBased: true, maxDelayMs, maxMessages, maxBytes },
    maxPendingMessages: maxPending,
  });
  const names = keyNames(keys);
  const payload = Buffer.alloc(size, 0x61);
  return sendContinuously(p, messages, maxPending, (i) => ({ payload, key: names[i % keys] }));
}

async function consume(messages: number): Promise<Record<string, number>> {
  const consumer = await client.subscribe({
    topic: topic!,
    subscription: `bench-ts-${Date.now()}`,
    type: 'Exclusive',
    initialPosition: 'earliest',
    receiverQueueSize: 1000,
  });
  // Timed from the subscription, like the Java tool ("Start receiving" → "DONE").
  const started = performance.now();
  for (let i = 0; i < messages; i++) {
    const message = await consumer.receive();
    void consumer.ack(message);
  }
  const seconds = (performance.now() - started) / 1000;
  await consumer.close();
  return { msgPerSec: messages / seconds, seconds };
}

async function latency(rate: number, seconds: number, size: number): Promise<Record<string, number>> {
  const p = await producer();
  const payload = Buffer.alloc(size, 0x61);
  await Promise.all(Array.from({ length: 200 }, () => p.send({ payload })));
  const samples: number[] = [];
  const total = Math.round(rate * seconds);
  const started = performance.now();
  const sends: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const sentAt = performance.now();
    sends.push(p.send({ payload }).then(() => void samples.push(performance.now() - sentAt)));
  }
  await Promise.all(sends);
  await p.close();
  return {
    p50: percentile(samples, 50),
    p99: percentile(samples, 99),
    achievedRate: total / ((performance.now() - started) / 1000),
  };
}

let result: Record<string, number>;
if (mode === 'produce') result = await produce(Number(rest[0]), Number(rest[1]));
else if (mode === 'produce-keyed') {
  const [messages, size, keys, delay, maxMessages, maxBytes, maxPending] = rest.map(Number);
  result = await produceKeyed(messages!, size!, keys!, delay!, maxMessages!, maxBytes!, maxPending!);
} else if (mode === 'consume') result = await consume(Number(rest[0]));
else if (mode === 'latency') result = await latency(Number(rest[0]), Number(rest[1]), Number(rest[2]));
else throw new Error(`unknown mode ${mode}`);
await client.close();
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);
