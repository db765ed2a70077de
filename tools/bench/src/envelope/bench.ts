/**
 * The envelope codec, per message, on the pattern the pipeline carries (a ~300-byte JSON payload,
 * normalized with extra fields, classified, routed): ts-proto's generated code with a fresh writer per
 * message (what `encodePattern` did), the same code with one shared writer (what it does now),
 * protobufjs (reflection, as @grpc/proto-loader uses it), and a stage's append (`extendPattern`: the
 * router adding `route` to the classified bytes it received) against re-encoding the whole envelope.
 * Median of the rounds; every codec runs once per round, in turn, so drift on a shared machine hits
 * them alike.
 */
import path from 'node:path';
import { BinaryWriter } from '@bufbuild/protobuf/wire';
import { decodePattern, encodePattern, extendPattern } from '@patternmesh/pattern';
import { Lane, Pattern, Priority, PROTO_ROOT, Severity } from '@patternmesh/proto';
import protobuf from 'protobufjs';
import { fmt, median } from '../stats';

export interface EnvelopeBenchOptions {
  readonly rounds: number;
  /** Time per measurement. */
  readonly millis: number;
}

function routedPattern(): Pattern {
  const payload = {
    customer_id: 'cust-77',
    amount: 25000,
    currency: 'EUR',
    merchant: 'acme-gems',
    channel: 'online',
    risk_score: 97,
    card: { bin: '424242', country: 'DE', network: 'visa' },
    device: { id: 'd-6c1f0e', ip: '203.0.113.7', ua: 'Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101' },
  };
  return {
    id: '019acd4e-8f3a-7b21-9c4d-5e6f7a8b9c0d',
    tenant: 'demo',
    source: 'fraud.cards',
    entity: 'card-4242',
    receivedAt: new Date('2026-12-01T10:00:00.123Z'),
    eventTime: new Date('2026-12-01T09:59:59.900Z'),
    idempotencyKey: '',
    contentType: 'application/json',
    payload: Buffer.from(JSON.stringify(payload)),
    attributes: { region: 'eu', producer: 'fraud-engine-3' },
    normalized: {
      ontologyVersion: '1',
      kind: 'transaction',
      summary: 'card-4242 paid 25000 EUR at acme-gems (risk 97)',
      severity: Severity.SEVERITY_CRITICAL,
      actor: 'cust-77',
      host: '',
      srcIp: '203.0.113.7',
      dstIp: '',
      srcPort: 0,
      dstPort: 0,
      protocol: '',
      indicator: '',
      indicatorType: '',
      amount: 25000,
      currency: 'EUR',
      tags: ['card', 'online'],
      mappingId: 'fraud.cards@1',
      extra: { merchant: 'acme-gems', channel: 'online', risk_score: 97 },
    },
    classification: {
      category: 'fraud',
      priority: Priority.PRIORITY_CRITICAL,
      score: 0.97,
      labels: ['high-risk', 'card-not-present'],
      modelVersion: 'rules@7',
      ruleIds: ['fraud-high-risk', 'cnp'],
      explanation: 'risk_score 97 >= 90 (fraud-high-risk); channel online (cnp)',
    },
    route: {
      lane: Lane.LANE_CRITICAL,
      destinations: ['persistent://demo/patterns/critical', 'persistent://patternmesh/archive/all'],
      decidedAt: new Date('2026-12-01T10:00:00.130Z'),
      ruleId: 'critical-lane',
      tableVersion: '12',
    },
  };
}

/** Calls per second of `fn` over `millis`, after a warm-up; `sink` keeps results from being optimised away. */
let sink = 0;
function perSecond(fn: () => Uint8Array | object, millis: number): number {
  for (let i = 0; i < 2000; i++) fn();
  let n = 0;
  const start = performance.now();
  let now = start;
  while (now - start < millis) {
    for (let i = 0; i < 200; i++) {
      const r = fn();
      sink ^= r instanceof Uint8Array ? r.length : 1;
    }
    n += 200;
    now = performance.now();
  }
  return (n * 1000) / (now - start);
}

interface Codec {
  readonly name: string;
  readonly encode: () => Uint8Array;
  readonly decode: () => object;
  readonly bytes: number;
}

export async function benchEnvelope(options: EnvelopeBenchOptions): Promise<void> {
  const pattern = routedPattern();
  const bytes = encodePattern(pattern);
  const { route, ...classified } = pattern;
  const classifiedBytes = encodePattern({ ...classified, route: undefined });
  const classifiedDecoded = decodePattern(classifiedBytes);

  const root = protobuf.loadSync(path.join(PROTO_ROOT, 'patternmesh/pattern/v1/pattern.proto'));
  const PbjsPattern = root.lookupType('patternmesh.pattern.v1.Pattern');
  const pbjsMessage = PbjsPattern.decode(bytes);

  const codecs: Codec[] = [
    {
      name: 'tsproto-fresh-writer',
      encode: () => Pattern.encode(pattern, new BinaryWriter()).finish(),
      decode: () => Pattern.decode(bytes),
      bytes: bytes.length,
    },
    {
      name: 'tsproto-shared-writer',
      encode: () => encodePattern(pattern),
      decode: () => decodePattern(bytes),
      bytes: bytes.length,
    },
    {
      name: 'protobufjs',
      encode: () => PbjsPattern.encode(pbjsMessage).finish(),
      decode: () => PbjsPattern.decode(bytes),
      bytes: PbjsPattern.encode(pbjsMessage).finish().length,
    },
    {
      // The router's publish: its input decoded already, `route` added. Decode is the same as above.
      name: 'stage-reencode',
      encode: () => encodePattern({ ...classifiedDecoded, route }),
      decode: () => decodePattern(classifiedBytes),
      bytes: bytes.length,
    },
    {
      name: 'stage-append',
      encode: () => extendPattern(classifiedBytes, classifiedDecoded, { route }),
      decode: () => decodePattern(classifiedBytes),
      bytes: extendPattern(classifiedBytes, classifiedDecoded, { route }).length,
    },
  ];

  const encodeRuns = new Map<string, number[]>(codecs.map((c) => [c.name, []]));
  const decodeRuns = new Map<string, number[]>(codecs.map((c) => [c.name, []]));
  for (let round = 0; round < options.rounds; round++) {
    for (const codec of codecs) {
      encodeRuns.get(codec.name)!.push(perSecond(codec.encode, options.millis));
      decodeRuns.get(codec.name)!.push(perSecond(codec.decode, options.millis));
    }
  }
  for (const codec of codecs) {
    process.stdout.write(
      `RESULT envelope-${codec.name} encode_per_s=${fmt(Math.round(median(encodeRuns.get(codec.name)!)))}` +
        ` decode_per_s=${fmt(Math.round(median(decodeRuns.get(codec.name)!)))} bytes=${codec.bytes}\n`,
    );
  }
  if (sink === 0.5) process.stdout.write('\n');
}
