/**
 * The Pulsar client's own TypeScript codecs against the native packages it can load instead
 * (`@patternmesh/pulsar/codecs`): CRC-32C (every frame, both directions), LZ4 and Snappy block
 * compression and decompression, on frame sizes the pipeline produces — a 1 KiB message sent alone
 * and a 128 KiB batch of such messages. Throughput in MB/s of input (uncompressed bytes for the
 * codecs, checksummed bytes for CRC), median of the rounds. ZLIB and ZSTD are not here: they come from
 * `node:zlib` (native) in both cases.
 */
import { randomBytes } from 'node:crypto';
import zlib from 'node:zlib';
import {
  selected,
  crc32cImplementations,
  lz4Implementations,
  snappyImplementations,
  type BlockCodec,
  type Implementations,
} from '@patternmesh/pulsar/codecs';
import { fmt, median } from '../stats';

export interface CodecBenchOptions {
  readonly rounds: number;
  /** Time per measurement. */
  readonly millis: number;
}

/** A pipeline-like message: a JSON pattern with ids and numbers that vary, ~1 KiB. */
function message(i: number): Buffer {
  const doc = {
    tenant: `tenant-${i % 10}`,
    source: `source-${i % 7}`,
    entity: `entity-${i}`,
    id: randomBytes(12).toString('hex'),
    observedAt: new Date(1_780_000_000_000 + i * 997).toISOString(),
    kind: ['transaction', 'login', 'alert'][i % 3],
    amount: Math.round(Math.random() * 1e6) / 100,
    tags: ['card', 'eu', `t${i % 13}`],
    extra: { channel: i % 2 ? 'ecommerce' : 'pos', text: randomBytes(200).toString('base64') },
    summary: 'Trojan.GenericKD detected in C:\\Users\\x\\dl.exe; quarantined by policy 42'.repeat(4),
  };
  const s = JSON.stringify(doc);
  return Buffer.from(s.length >= 1024 ? s.slice(0, 1024) : s.padEnd(1024, ' '));
}

/** A 128 KiB batch payload: records of [4-byte size][~20 bytes metadata][message]. */
function batch(): Buffer {
  const parts: Buffer[] = [];
  let n = 0;
  for (let i = 0; n < 128 * 1024; i++) {
    const m = message(i);
    const head = Buffer.alloc(24);
    head.writeUInt32BE(20, 0);
    head.write(`k${i % 1000}`.padEnd(20, '\0'), 4);
    parts.push(head, m);
    n += head.length + m.length;
  }
  return Buffer.concat(parts).subarray(0, 128 * 1024);
}

/** MB/s of `bytes` per call over `millis`, after a warm-up. */
function rate(fn: () => unknown, bytes: number, millis: number): number {
  for (let i = 0; i < 200; i++) fn();
  let calls = 0;
  const started = performance.now();
  let now = started;
  while (now - started < millis) {
    for (let i = 0; i < 50; i++) fn();
    calls += 50;
    now = performance.now();
  }
  return (calls * bytes) / ((now - started) / 1000) / 1e6;
}

interface Case {
  readonly name: string;
  readonly bytes: number;
  readonly js: () => unknown;
  readonly native: (() => unknown) | undefined;
}

function codecCases(label: string, impl: Implementations<BlockCodec>, input: Buffer, size: string): Case[] {
  const packed = impl.js.compress(input);
  const check = impl.native?.decompress(packed, input.length);
  if (check && !check.equals(input)) throw new Error(`${label}: native cannot read the TS codec's output`);
  const n = impl.native;
  return [
    {
      name: `${label}-compress-${size}`,
      bytes: input.length,
      js: () => impl.js.compress(input),
      native: n && (() => n.compress(input)),
    },
    {
      name: `${label}-decompress-${size}`,
      bytes: input.length,
      js: () => impl.js.decompress(packed, input.length),
      native: n && (() => n.decompress(packed, input.length)),
    },
  ];
}

export async function benchCodecs(options: CodecBenchOptions): Promise<void> {
  const big = batch();
  const inputs = { '1k': message(1), '16k': big.subarray(0, 16 * 1024), '128k': big } as const;
  const cases: Case[] = [];
  for (const [size, input] of Object.entries(inputs)) {
    const crc = crc32cImplementations;
    if (crc.native && crc.native(input) !== crc.js(input)) throw new Error('crc32c: native disagrees');
    const nativeCrc = crc.native;
    cases.push({
      name: `crc32c-${size}`,
      bytes: input.length,
      js: () => crc.js(input),
      native: nativeCrc && (() => nativeCrc(input)),
    });
    cases.push(...codecCases('lz4', lz4Implementations, input, size));
    cases.push(...codecCases('snappy', snappyImplementations, input, size));
  }
  // Frame headers (~60 bytes) and small messages are checksummed too: where does native start to pay?
  for (const n of [64, 256, 512]) {
    const small = inputs['1k'].subarray(0, n);
    const nativeCrc = crc32cImplementations.native;
    cases.push({
      name: `crc32c-${n}b`,
      bytes: n,
      js: () => crc32cImplementations.js(small),
      native: nativeCrc && (() => nativeCrc(small)),
    });
  }

  const lines: string[] = [];
  for (const c of cases) {
    const js: number[] = [];
    const nat: number[] = [];
    for (let r = 0; r < options.rounds; r++) {
      js.push(rate(c.js, c.bytes, options.millis));
      if (c.native) nat.push(rate(c.native, c.bytes, options.millis));
    }
    const j = median(js);
    const n = c.native ? median(nat) : Number.NaN;
    lines.push(`RESULT codec-${c.name} js=${fmt(j)} native=${fmt(n)} ratio=${fmt(n / j)}`);
    process.stderr.write(`${c.name}: js ${fmt(j)} MB/s, native ${fmt(n)} MB/s\n`);
  }
  // How long one 128 KiB batch holds the event loop (every other connection and timer waits) with
  // each codec as the client uses it: the figure that decides whether compression needs a worker.
  const stall = (fn: () => unknown): number => 1000 / (rate(fn, 1, options.millis) * 1e6);
  const b128 = inputs['128k'];
  const stalls = {
    lz4: median(Array.from({ length: options.rounds }, () => stall(() => selected.lz4.compress(b128)))),
    snappy: median(Array.from({ length: options.rounds }, () => stall(() => selected.snappy.compress(b128)))),
    zlib: median(Array.from({ length: options.rounds }, () => stall(() => zlib.deflateSync(b128)))),
    zstd: median(Array.from({ length: options.rounds }, () => stall(() => zlib.zstdCompressSync(b128)))),
  };
  lines.push(
    `RESULT codec-stall-128k lz4_ms=${fmt(stalls.lz4)} snappy_ms=${fmt(stalls.snappy)} zlib_ms=${fmt(stalls.zlib)} zstd_ms=${fmt(stalls.zstd)}`,
  );
  process.stdout.write(`${lines.join('\n')}\n`);
}
