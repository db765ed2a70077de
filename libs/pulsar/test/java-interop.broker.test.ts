/**
 * Interop with the Java client: messages produced by the official `pulsar-perf` tool
 * (tools/pulsar's perf CLI) with each compression codec — including SNAPPY, which only the consumer side
 * needs — are decoded by our consumer.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { drain, newClient, perfRecordsSent, receiveN, runPerf, uniqueTopic } from './helpers';

describe('messages produced by the Java client (pulsar-perf)', () => {
  it('decodes NONE, LZ4, ZLIB, ZSTD and SNAPPY batches', async () => {
    const lines = Array.from({ length: 20 }, (_, i) => `java line ${i} `.repeat(10 + i));
    const payloadFile = path.join(os.tmpdir(), `pulsar-perf-payload-${process.pid}.txt`);
    fs.writeFileSync(payloadFile, lines.join('\n'));
    const codecs = ['NONE', 'LZ4', 'ZLIB', 'ZSTD', 'SNAPPY'];
    const client = newClient();
    const topics = codecs.map((c) => uniqueTopic(`java-${c.toLowerCase()}`));
    // Subscribe first so that nothing the JVM publishes is missed.
    const consumers = await Promise.all(
      topics.map((topic) => client.subscribe({ topic, subscription: 'ts', initialPosition: 'earliest' })),
    );
    const sent: number[] = [];
    // A few JVMs at a time: their start-up dominates and is mostly single-threaded.
    for (let i = 0; i < codecs.length; i += 3) {
      const batch = codecs
        .slice(i, i + 3)
        .map((codec, j) =>
          runPerf([
            'produce',
            '-i',
            '1',
            '-r',
            '500',
            '-m',
            '100',
            '--compression',
            codec,
            '--payload-file',
            payloadFile,
            topics[i + j]!,
          ]),
        );
      for (const [j, r] of (await Promise.all(batch)).entries()) {
        expect(r.code, r.output.slice(-2000)).toBe(0);
        // pulsar-perf may send a few more than -m asks (its rate loop overshoots); it says how many.
        const reported = perfRecordsSent(r.output);
        expect(reported, r.output.slice(-2000)).toBeDefined();
        sent[i + j] = reported!;
      }
    }
    for (const [k, consumer] of consumers.entries()) {
      const got = [...(await receiveN(consumer, sent[k]!)), ...(await drain(consumer, 500))];
      // Exactly what pulsar-perf reports it sent, each once: a duplicate or a lost message fails.
      expect(sent[k], codecs[k]).toBeGreaterThanOrEqual(100);
      expect(got.length, codecs[k]).toBe(sent[k]);
      expect(new Set(got.map((m) => m.id.toString())).size, codecs[k]).toBe(got.length);
      for (const m of got) expect(lines, codecs[k]).toContain(m.payload.toString());
    }
    fs.rmSync(payloadFile, { force: true });
  });
});
