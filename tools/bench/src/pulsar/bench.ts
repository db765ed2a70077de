import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PulsarAdmin } from '@patternmesh/pulsar';
import {
  baseJvmFlags,
  brokerFromEnvOrLocal,
  findJava,
  pulsarPerfCommand,
  resolvePulsar,
} from '@patternmesh/pulsar-tools';
import { fmt, median } from '../stats';
import { parsePerfOutput, type PerfSummary } from './perf-output';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

export interface PulsarBenchOptions {
  readonly messages: number;
  readonly size: number;
  readonly rounds: number;
  readonly latencyRate: number;
  readonly latencySeconds: number;
  /** Interleaved keys in the keyed round. */
  readonly keys: number;
}

/**
 * Key-based batching settings of the keyed round, the same on both sides. Both clients apply the batch
 * limits to all open key batches together, so with 1,000 interleaved keys the plain round's 1 ms /
 * 1000 messages / 128 KiB would flush about one message per key batch in either client. 10,000
 * messages (16 MiB) a flush, 10 ms and as many outstanding give each key about 10 a batch.
 */
export const KEYED = {
  delayMs: 10,
  maxMessages: 10_000,
  maxBytes: 16 * 1024 * 1024,
  maxPending: 10_000,
} as const;

function run(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`${args.join(' ')} exited ${code}:\n${out.slice(-3000)}`)),
    );
  });
}

async function ts(
  mode: string,
  url: string,
  topic: string,
  ...args: number[]
): Promise<Record<string, number>> {
  const out = await run(process.execPath, [
    '--import',
    'tsx',
    'tools/bench/src/pulsar/ts-worker.ts',
    mode,
    url,
    topic,
    ...args.map(String),
  ]);
  const line = out
    .trim()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .at(-1);
  if (!line) throw new Error(`no result from the TypeScript worker:\n${out.slice(-2000)}`);
  return JSON.parse(line) as Record<string, number>;
}

async function java(url: string, args: string[]): Promise<PerfSummary> {
  const perf = pulsarPerfCommand(['--url', url, ...args]);
  const out = await run(perf.command, perf.args);
  const summary = parsePerfOutput(out);
  if (summary.msgPerSec === undefined)
    throw new Error(`pulsar-perf printed no summary:\n${out.slice(-2000)}`);
  return summary;
}

/**
 * The Java client with key-based batching (java/KeyedProduce.java, a single-file source program on
 * pulsar-perf's classpath and JVM flags): pulsar-perf itself has no batcher-builder option.
 */
async function javaKeyed(url: string, topic: string, messages: number, size: number, keys: number) {
  const res = await resolvePulsar({ testclient: true });
  const jvm = findJava();
  const out = await run(jvm.bin, [
    '-Xms128m',
    '-Xmx1g',
    '-XX:MaxDirectMemorySize=1g',
    ...baseJvmFlags(jvm),
    '-cp',
    `${res.testclientLibDir}/*`,
    path.join(root, 'tools/bench/src/pulsar/java/KeyedProduce.java'),
    url,
    topic,
    ...[messages, size, keys, KEYED.delayMs, KEYED.maxMessages, KEYED.maxBytes, KEYED.maxPending].map(String),
  ]);
  const line = out
    .trim()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .at(-1);
  if (!line) throw new Error(`no result from KeyedProduce.java:\n${out.slice(-2000)}`);
  return JSON.parse(line) as { msgPerSec: number };
}

const log = (line: string): void => void process.stderr.write(`${line}\n`);

/**
 * Our client against the official Java client (pulsar-perf) on the same broker, same settings
 * (1 KiB payload, batching on, one non-partitioned topic, a fresh topic per round), alternating
 * rounds so drift in the machine's state hits both alike. Reports the median of the rounds.
 */
export async function benchPulsar(options: PulsarBenchOptions): Promise<void> {
  const broker = await brokerFromEnvOrLocal();
  const url = broker.serviceUrl;
  const admin = new PulsarAdmin({ url: broker.adminUrl });
  // Each round writes several GiB at the default size; delete its topics so repeated runs do not
  // fill the broker's disk.
  const used: string[] = [];
  const cleanUp = async (): Promise<void> => {
    for (const t of used.splice(0)) await admin.deleteTopic(t, true).catch(() => undefined);
  };
  const { messages, size } = options;
  const topic = (label: string, round: number): string => {
    const name = `persistent://public/default/bench-${label}-${Date.now().toString(36)}-${round}`;
    used.push(name);
    return name;
  };
  const results = {
    produceTs: [] as number[],
    produceJava: [] as number[],
    consumeTs: [] as number[],
    consumeJava: [] as number[],
    keyedTs: [] as number[],
    keyedJava: [] as number[],
  };

  for (let round = 1; round <= options.rounds; round++) {
    const tsProduce = await ts('produce', url, topic('pts', round), messages, size);
    results.produceTs.push(tsProduce.msgPerSec!);
    const javaProduce = await java(url, [
      'produce',
      '-r',
      '10000000',
      '-s',
      String(size),
      '-m',
      String(messages),
      '-o',
      '1000',
      '-b',
      '1',
      topic('pjava', round),
    ]);
    // Same window as ours: producer created → last receipt (pulsar-perf's aggregate includes idle seconds after DONE).
    const javaProduceRate = javaProduce.activeMs
      ? (messages * 1000) / javaProduce.activeMs
      : javaProduce.msgPerSec!;
    results.produceJava.push(javaProduceRate);
    log(
      `round ${round} produce: ts ${fmt(tsProduce.msgPerSec!)} msg/s, java ${fmt(javaProduceRate)} msg/s (pulsar-perf aggregate ${fmt(javaProduce.msgPerSec!)})`,
    );

    // Both consumers read a topic filled the same way (by our batched producer).
    const consumeTopicTs = topic('cts', round);
    const consumeTopicJava = topic('cjava', round);
    await ts('produce', url, consumeTopicTs, messages, size);
    await ts('produce', url, consumeTopicJava, messages, size);
    const tsConsume = await ts('consume', url, consumeTopicTs, messages);
    results.consumeTs.push(tsConsume.msgPerSec!);
    const javaConsume = await java(url, [
      'consume',
      '-ss',
      'bench-java',
      '-sp',
      'Earliest',
      '-m',
      String(messages),
      '-q',
      '1000',
      consumeTopicJava,
    ]);
    results.consumeJava.push(javaConsume.msgPerSec!);
    await cleanUp();
    log(
      `round ${round} consume: ts ${fmt(tsConsume.msgPerSec!)} msg/s, java ${fmt(javaConsume.msgPerSec!)} msg/s`,
    );
  }

  // Keyed round: the pipeline's traffic (key = tenant/source/entity, each message a different key
  // from the one before) with key-based batching on both sides.
  for (let round = 1; round <= options.rounds; round++) {
    const k = options.keys;
    const tsKeyed = await ts(
      'produce-keyed',
      url,
      topic('kts', round),
      messages,
      size,
      k,
      KEYED.delayMs,
      KEYED.maxMessages,
      KEYED.maxBytes,
      KEYED.maxPending,
    );
    results.keyedTs.push(tsKeyed.msgPerSec!);
    const javaKeyedResult = await javaKeyed(url, topic('kjava', round), messages, size, k);
    results.keyedJava.push(javaKeyedResult.msgPerSec);
    await cleanUp();
    log(
      `round ${round} produce keyed (${k} keys): ts ${fmt(tsKeyed.msgPerSec!)} msg/s, java ${fmt(javaKeyedResult.msgPerSec)} msg/s`,
    );
  }

  const rate = options.latencyRate;
  const seconds = options.latencySeconds;
  const tsLatency = await ts('latency', url, topic('lts', 0), rate, seconds, size);
  const javaLatencyTopic = topic('ljava', 0);
  const javaLatency = await java(url, [
    'produce',
    '-r',
    String(rate),
    '-s',
    String(size),
    '-time',
    String(seconds),
    '-o',
    '1000',
    '-b',
    '1',
    javaLatencyTopic,
  ]);
  await cleanUp();
  log(
    `latency at ${rate} msg/s: ts p50 ${fmt(tsLatency.p50!)} ms p99 ${fmt(tsLatency.p99!)} ms; java p50 ${fmt(javaLatency.latencyMs?.p50 ?? NaN)} ms p99 ${fmt(javaLatency.latencyMs?.p99 ?? NaN)} ms`,
  );

  const produce = { ts: median(results.produceTs), java: median(results.produceJava) };
  const consume = { ts: median(results.consumeTs), java: median(results.consumeJava) };
  const keyed = { ts: median(results.keyedTs), java: median(results.keyedJava) };
  process.stdout.write(
    [
      `RESULT pulsar-latency rate=${rate} ts_p50_ms=${fmt(tsLatency.p50!)} ts_p99_ms=${fmt(tsLatency.p99!)} java_p50_ms=${fmt(javaLatency.latencyMs?.p50 ?? NaN)} java_p99_ms=${fmt(javaLatency.latencyMs?.p99 ?? NaN)}`,
      `RESULT pulsar-produce ts=${fmt(produce.ts)} java=${fmt(produce.java)} ratio=${fmt(produce.ts / produce.java)}`,
      `RESULT pulsar-consume ts=${fmt(consume.ts)} java=${fmt(consume.java)} ratio=${fmt(consume.ts / consume.java)}`,
      `RESULT pulsar-produce-keyed ts=${fmt(keyed.ts)} java=${fmt(keyed.java)} ratio=${fmt(keyed.ts / keyed.java)}`,
    ].join('\n') + '\n',
  );
}
