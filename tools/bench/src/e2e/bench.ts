/**
 * `npm run bench -- e2e`: the whole pipeline end to end, from a load generator in its own process
 * through the gateway to the destination lanes. Per mode (all-in-one, distributed):
 * 1. peak: NDJSON batches as fast as the pipeline takes them (the embedded bus and Pulsar both push
 *    back), `max_events_per_s` = patterns that reached their lane ÷ time from the first request to
 *    the last arrival — what the pipeline delivers, not what the gateway buffered;
 * 2. latency: the same load at half that rate (or `--rate`), p50/p99 from gateway acceptance to lane;
 * 3. unary: single-pattern POSTs against the gateway and a fastify hello-world POST, alternating.
 * `lost` = ids the gateway acknowledged that never reached both a lane and the archive after the
 * drain. All-in-one runs also set Benthos (the peer) beside the all-in-one on the same load.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fmt, median } from '../stats';
import { ensureBenthos, startBenthos } from './benthos';
import { LANES, type CheckerReport } from './checker';
import { LatencyHistogram } from './histogram';
import type { LoadJob, LoadResult, Transport } from './load-protocol';
import { CpuMeter, findProcess, microsPerPattern } from './cpu';
import { startAllInOne, startDistributed, BENCH_API_KEY, type PipelineUnderTest } from './pipelines';
import { ask, forkModule, here, nextMessage, repoRoot, stopChild } from './processes';
import { freePort } from '@patternmesh/distributed';
import { STANDALONE_MAIN } from '@patternmesh/pulsar-tools';
import { summarizeCpuProfiles } from './profile-summary';
import { RssSampler } from './rss';

export interface E2eOptions {
  readonly mode: 'all-in-one' | 'distributed' | 'both';
  /** Length of the peak and of the latency phase. */
  readonly seconds: number;
  /** Events/s of the latency phase; 0 = half the measured peak. */
  readonly rate: number;
  readonly unarySeconds: number;
  /** Unary and peer rounds (each alternates target and reference). */
  readonly rounds: number;
  /** NDJSON requests in flight, and patterns per request. */
  readonly concurrency: number;
  readonly batch: number;
  readonly unaryConcurrency: number;
  readonly entities: number;
  /** How long arrivals may stall before the drain gives up. */
  readonly drainSeconds: number;
  readonly peer: boolean;
  readonly transport: Extract<Transport, 'ndjson' | 'grpc'>;
  /** Write a CPU profile of the all-in-one and print its top self-time functions. */
  readonly cpuProf: boolean;
  /**
   * Run the all-in-one under tsx, as `npm start` does, instead of compiled JavaScript as the image
   * runs it (the default, like the distributed services).
   */
  readonly tsx?: boolean;
}

export const SMOKE: Partial<E2eOptions> = {
  mode: 'all-in-one',
  seconds: 2,
  rate: 200,
  unarySeconds: 1,
  rounds: 1,
  concurrency: 2,
  unaryConcurrency: 4,
  entities: 500,
  drainSeconds: 10,
  peer: false,
};

const log = (line: string) => process.stderr.write(`e2e: ${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

class LoadGenerator {
  readonly #child: ChildProcess = forkModule('load-worker.ts');

  get pid(): number | undefined {
    return this.#child.pid;
  }

  #seq = 0;
  readonly ackedIds: string[] = [];

  async run(job: Omit<LoadJob, 'firstSeq' | 'apiKey'> & { apiKey?: string }): Promise<LoadResult> {
    const full: LoadJob = { apiKey: BENCH_API_KEY, firstSeq: this.#seq, ...job };
    this.#seq += 10_000_000;
    const result = await ask<LoadResult>(this.#child, full, 'acked');
    if (result.ids) for (const id of result.ids.split('\n')) if (id) this.ackedIds.push(id);
    if (result.failed > 0)
      log(`${job.transport} → ${job.target}: ${result.failed} failed, first: ${result.firstError}`);
    return result;
  }

  stop(): Promise<void> {
    return stopChild(this.#child);
  }
}

/** Waits until every acknowledged pattern arrived, or arrivals stop moving for `stallSeconds`. */
async function drain(pipeline: PipelineUnderTest, expected: number, stallSeconds: number) {
  let last = -1;
  let stalledSince = Date.now();
  for (;;) {
    const progress = await pipeline.progress();
    if (progress.arrivals >= expected) return progress;
    if (progress.arrivals !== last) {
      last = progress.arrivals;
      stalledSince = Date.now();
    } else if (Date.now() - stalledSince > stallSeconds * 1000) {
      log(`drain gave up: ${progress.arrivals} of ${expected} arrived`);
      return progress;
    }
    await sleep(100);
  }
}

interface ModeResult {
  maxEventsPerS: number;
  /** `name=<µs> … total=<µs>`: CPU per delivered pattern over the peak, per process. */
  cpuPerPattern: string;
  /** Messages per broker entry on each pipeline topic (Pulsar only; empty on the embedded bus). */
  messagesPerEntry: Record<string, number>;
  report: CheckerReport;
  lost: number;
  rssMb: Map<string, number>;
  unary: number;
  hello: number;
  peer?: { unaryBenthos: number; ndjsonPatternmesh: number; ndjsonBenthos: number };
}

async function runMode(
  mode: 'all-in-one' | 'distributed',
  options: E2eOptions,
  generator: LoadGenerator,
  hello: { url: string },
): Promise<ModeResult> {
  const profileDir =
    options.cpuProf && mode === 'all-in-one'
      ? mkdtempSync(path.join(os.tmpdir(), 'pm-e2e-prof-'))
      : undefined;
  log(`${mode}: starting`);
  const pipeline =
    mode === 'all-in-one'
      ? await startAllInOne({ ...(profileDir ? { cpuProfDir: profileDir } : {}), compiled: !options.tsx })
      : await startDistributed();
  const rss = new RssSampler(() => pipeline.processes());
  rss.start();
  generator.ackedIds.length = 0;
  try {
    const bulk = (seconds: number, rate: number, batch = options.batch) =>
      generator.run({
        transport: options.transport,
        target: options.transport === 'grpc' ? pipeline.grpcTarget : pipeline.restUrl,
        seconds,
        rate,
        concurrency: options.transport === 'grpc' ? options.concurrency * options.batch : options.concurrency,
        batch,
        entities: options.entities,
        collectIds: true,
      });
    // Warm-up (JIT, connections, Pulsar producers); its patterns count for `lost` like the rest.
    await bulk(Math.min(2, options.seconds), options.rate > 0 ? options.rate : 0);
    await drain(pipeline, generator.ackedIds.length, options.drainSeconds);

    // 1. Peak.
    const deliveredRate = async (seconds: number) => {
      const before = (await pipeline.progress()).arrivals;
      await pipeline.reset();
      const start = Date.now();
      const load = await bulk(seconds, 0);
      const after = await drain(pipeline, generator.ackedIds.length, options.drainSeconds);
      return { perS: (after.arrivals - before) / ((after.lastArrivalMs - start) / 1000), load };
    };
    // CPU of every process on the machine's shared cores over the peak: the pipeline's, the broker's
    // (a local one), the load generator's and this process's (the distributed checker).
    const brokerPid = mode === 'distributed' ? findProcess(STANDALONE_MAIN) : undefined;
    const cpu = new CpuMeter(() => [
      ...pipeline.processes(),
      ...(brokerPid !== undefined ? [{ name: 'broker', pid: brokerPid }] : []),
      { name: 'load', pid: generator.pid },
      ...(mode === 'distributed' ? [{ name: 'checker', pid: process.pid }] : []),
    ]);
    const arrivalsBeforePeak = (await pipeline.progress()).arrivals;
    cpu.start();
    const { perS: maxEventsPerS, load: peakLoad } = await deliveredRate(options.seconds);
    const peakCpu = cpu.stop();
    const peakPatterns = (await pipeline.progress()).arrivals - arrivalsBeforePeak;
    log(
      `${mode}: peak ${fmt(maxEventsPerS)} events/s delivered (gateway acked ${fmt(peakLoad.acked / (peakLoad.elapsedMs / 1000))}/s)`,
    );
    const cpuPerPattern = microsPerPattern(peakCpu, peakPatterns);

    // 2. Latency at half the peak (or the given rate).
    const rate = options.rate > 0 ? options.rate : Math.max(1, Math.round(maxEventsPerS / 2));
    await pipeline.reset();
    // Smaller batches at a fixed rate (~50 requests/s), so latency is not that of 100-pattern bursts.
    const latencyLoad = await bulk(
      options.seconds,
      rate,
      Math.max(1, Math.min(options.batch, Math.round(rate / 50))),
    );
    await drain(pipeline, generator.ackedIds.length, options.drainSeconds);
    const latencyReport = await pipeline.report();
    log(
      `${mode}: latency phase at ${rate} events/s (acked ${fmt(latencyLoad.acked / (latencyLoad.elapsedMs / 1000))}/s)`,
    );

    // 3. Unary: the gateway and the hello-world server alternately, same generator and bodies.
    const unary = (target: string, path = '/v1/patterns') =>
      generator
        .run({
          transport: 'unary',
          target,
          path,
          seconds: options.unarySeconds,
          rate: 0,
          concurrency: options.unaryConcurrency,
          batch: 1,
          entities: options.entities,
          collectIds: target === pipeline.restUrl,
        })
        .then((r) => r.acked / (r.elapsedMs / 1000));
    const gatewayRounds: number[] = [];
    const helloRounds: number[] = [];
    const benthosRounds: number[] = [];
    const ndjsonOurs: number[] = [];
    const ndjsonBenthos: number[] = [];
    let benthos: ChildProcess | undefined;
    let benthosUrl = '';
    if (options.peer && mode === 'all-in-one') {
      const port = await freePort();
      benthos = await startBenthos(
        ensureBenthos(undefined, log),
        path.join(repoRoot, 'tools/bench/peer/benthos.yaml'),
        port,
      );
      benthosUrl = `http://127.0.0.1:${port}`;
    }
    try {
      for (let round = 0; round < options.rounds; round++) {
        gatewayRounds.push(await unary(pipeline.restUrl));
        helloRounds.push(await unary(hello.url));
        if (benthos) {
          benthosRounds.push(await unary(benthosUrl));
          // NDJSON: Benthos answers after processing, our gateway once `raw` has the pattern, so our
          // side is the delivered rate (to the lanes), measured like the peak.
          ndjsonOurs.push((await deliveredRate(options.unarySeconds)).perS);
          const theirs = await generator.run({
            transport: 'ndjson',
            target: benthosUrl,
            seconds: options.unarySeconds,
            rate: 0,
            concurrency: options.concurrency,
            batch: options.batch,
            entities: options.entities,
            collectIds: false,
          });
          ndjsonBenthos.push(theirs.acked / (theirs.elapsedMs / 1000));
        }
      }
    } finally {
      if (benthos) await stopChild(benthos);
    }
    const finalProgress = await drain(pipeline, generator.ackedIds.length, options.drainSeconds);
    const final = await pipeline.report();
    const delivered = new Set(final.deliveredIds.split('\n'));
    let lost = 0;
    for (const id of generator.ackedIds) if (!delivered.has(id)) lost++;
    const perEntry = (await pipeline.messagesPerEntry?.()) ?? {};
    log(
      `${mode}: ${generator.ackedIds.length} acknowledged, ${finalProgress.arrivals} delivered, lost ${lost}`,
    );
    return {
      maxEventsPerS,
      cpuPerPattern,
      messagesPerEntry: perEntry,
      report: latencyReport,
      lost,
      rssMb: rss.stop(),
      unary: median(gatewayRounds),
      hello: median(helloRounds),
      ...(benthos
        ? {
            peer: {
              unaryBenthos: median(benthosRounds),
              ndjsonPatternmesh: median(ndjsonOurs),
              ndjsonBenthos: median(ndjsonBenthos),
            },
          }
        : {}),
    };
  } finally {
    rss.stop();
    await pipeline.stop();
    if (profileDir) {
      log(`cpu profile in ${profileDir}`);
      for (const line of summarizeCpuProfiles(profileDir, 15)) process.stdout.write(`PROFILE ${line}\n`);
    }
  }
}

function printMode(mode: string, r: ModeResult): void {
  const all = new LatencyHistogram();
  const lanes = Object.fromEntries(
    LANES.map((l) => [l, LatencyHistogram.fromJSON(r.report.lanes[l].histogram)]),
  );
  for (const l of LANES) all.merge(lanes[l]!);
  const rssMax = Math.max(...r.rssMb.values());
  process.stdout.write(
    `INFO e2e-${mode} lanes ${LANES.map((l) => `${l}=${r.report.lanes[l].count}`).join(' ')} archived=${r.report.archived}` +
      ` rss_mb ${[...r.rssMb].map(([n, mb]) => `${n}=${fmt(mb)}`).join(' ')}` +
      ` lane_p99_ms ${LANES.map((l) => `${l}=${fmt(lanes[l]!.percentile(99))}`).join(' ')}` +
      ` cpu_us_per_pattern ${r.cpuPerPattern}` +
      (Object.keys(r.messagesPerEntry).length > 0
        ? ` messages_per_entry ${Object.entries(r.messagesPerEntry)
            .map(([topic, n]) => `${topic}=${fmt(n)}`)
            .join(' ')}`
        : '') +
      '\n',
  );
  process.stdout.write(
    `RESULT e2e-${mode} max_events_per_s=${fmt(Math.round(r.maxEventsPerS))} p50_ms=${fmt(all.percentile(50))}` +
      ` p99_ms=${fmt(all.percentile(99))} critical_p99_ms=${fmt(lanes.critical!.percentile(99))}` +
      ` rss_mb_max=${fmt(Math.round(rssMax))} lost=${r.lost}\n`,
  );
  process.stdout.write(
    `RESULT e2e-unary-${mode} req_per_s=${fmt(Math.round(r.unary))} hello_req_per_s=${fmt(Math.round(r.hello))}` +
      ` ratio=${fmt(r.unary / r.hello)}\n`,
  );
  if (r.peer) {
    process.stdout.write(
      `RESULT e2e-peer-unary patternmesh=${fmt(Math.round(r.unary))} benthos=${fmt(Math.round(r.peer.unaryBenthos))}` +
        ` ratio=${fmt(r.unary / r.peer.unaryBenthos)}\n`,
    );
    process.stdout.write(
      `RESULT e2e-peer-ndjson patternmesh=${fmt(Math.round(r.peer.ndjsonPatternmesh))} benthos=${fmt(Math.round(r.peer.ndjsonBenthos))}` +
        ` ratio=${fmt(r.peer.ndjsonPatternmesh / r.peer.ndjsonBenthos)}\n`,
    );
  }
}

export async function benchE2e(options: E2eOptions): Promise<void> {
  const modes = options.mode === 'both' ? (['all-in-one', 'distributed'] as const) : [options.mode];
  const generator = new LoadGenerator();
  const helloServer = forkModule('hello-server.ts');
  try {
    const hello = await nextMessage<{ port: number }>(helloServer, 'ready');
    for (const mode of modes)
      printMode(mode, await runMode(mode, options, generator, { url: `http://127.0.0.1:${hello.port}` }));
  } finally {
    await generator.stop();
    await stopChild(helloServer);
  }
}

export { here };
