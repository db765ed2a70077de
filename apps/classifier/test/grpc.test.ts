import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import {
  ClassifierServiceClient,
  Priority,
  Severity,
  TelemetryServiceClient,
  type ClassifyBatchResponse,
  type ClassifyResponse,
  type GetLoadResponse,
  type Pattern,
} from '@patternmesh/proto';
import {
  createLogger,
  loadServicesConfig,
  startServices,
  type RunningServices,
} from '@patternmesh/service-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifierService } from '../src/service';

// The classifier as a process hosts it, with its rules loaded from a file on disk (CEL), called over
// gRPC as the express lane and previews call it.
let running: RunningServices;
let client: ClassifierServiceClient;
let dir: string;

const RULES = [
  {
    id: 'vip-wire',
    when: "normalized.kind == 'transaction' && normalized.amount >= 1000000.0",
    category: 'fraud',
    priority: 'critical',
    labels: ['vip-wire'],
  },
];

const pattern = (amount: number): Pattern => ({
  id: '01930000-0000-7000-8000-000000000009',
  tenant: 'acme',
  source: 'bank.wires',
  entity: 'acct-1',
  receivedAt: new Date(0),
  eventTime: undefined,
  idempotencyKey: '',
  contentType: 'application/json',
  payload: Buffer.from('{}'),
  attributes: {},
  classification: undefined,
  route: undefined,
  normalized: {
    ontologyVersion: '1',
    kind: 'transaction',
    summary: '',
    severity: Severity.SEVERITY_LOW,
    actor: '',
    host: '',
    srcIp: '',
    dstIp: '',
    srcPort: 0,
    dstPort: 0,
    protocol: '',
    indicator: '',
    indicatorType: '',
    amount,
    currency: 'EUR',
    tags: [],
    mappingId: 'test@1',
    extra: {},
  },
});

const call =
  <Req, Res>(method: (r: Req, cb: (e: grpc.ServiceError | null, res: Res) => void) => void) =>
  (request: Req) =>
    new Promise<Res>((resolve, reject) =>
      method.call(client, request, (error, response) => (error ? reject(error) : resolve(response))),
    );

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'pm-rules-'));
  const file = path.join(dir, 'rules.json');
  writeFileSync(file, JSON.stringify(RULES));
  const config = loadServicesConfig([classifierService], {
    PATTERNMESH_HTTP_PORT: '0',
    PATTERNMESH_GRPC_PORT: '0',
    PATTERNMESH_RULES_FILE: file,
  });
  running = await startServices([classifierService], {
    config,
    logger: createLogger('test', { level: 'silent' }),
  });
  client = new ClassifierServiceClient(`127.0.0.1:${running.grpcPort}`, grpc.credentials.createInsecure());
});

afterAll(async () => {
  client?.close();
  await running?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('classifier over gRPC, rules from a file', () => {
  it('Classify applies the file’s rules and says which matched', async () => {
    const { pattern: out } = await call<{ pattern: Pattern }, ClassifyResponse>(client.classify)({
      pattern: pattern(2_000_000),
    });
    expect(out?.classification).toMatchObject({
      category: 'fraud',
      priority: Priority.PRIORITY_CRITICAL,
      ruleIds: ['vip-wire'],
      labels: ['vip-wire'],
    });
    // Only the file's rules are loaded: a small wire matches none of them.
    const small = await call<{ pattern: Pattern }, ClassifyResponse>(client.classify)({
      pattern: pattern(10),
    });
    expect(small.pattern?.classification?.ruleIds).toEqual([]);
  });

  it('ClassifyBatch classifies each pattern in order', async () => {
    const { patterns } = await call<{ patterns: Pattern[] }, ClassifyBatchResponse>(client.classifyBatch)({
      patterns: [pattern(10), pattern(5_000_000)],
    });
    expect(patterns.map((p) => p.classification?.ruleIds)).toEqual([[], ['vip-wire']]);
  });

  it('Classify without a pattern is INVALID_ARGUMENT with the catalog code', async () => {
    const error = await call<object, ClassifyResponse>(client.classify)({}).catch(
      (e: grpc.ServiceError) => e,
    );
    expect((error as grpc.ServiceError).code).toBe(grpc.status.INVALID_ARGUMENT);
    expect((error as grpc.ServiceError).metadata.get('pm-error-code')).toEqual(['VALIDATION_FAILED']);
  });

  it('TelemetryService.GetLoad reports the classify stage', async () => {
    const telemetry = new TelemetryServiceClient(
      `127.0.0.1:${running.grpcPort}`,
      grpc.credentials.createInsecure(),
    );
    const load = await new Promise<GetLoadResponse>((resolve, reject) =>
      telemetry.getLoad({}, (error, response) => (error ? reject(error) : resolve(response))),
    );
    telemetry.close();
    expect(load.stages.map((s) => s.stage)).toEqual(['classify']);
    expect(load.observedAt).toBeInstanceOf(Date);
  });
});
