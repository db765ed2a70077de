import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { aNormalized, aPattern } from '@patternmesh/pattern/testing';
import {
  ClassifierServiceClient,
  Priority,
  Severity,
  TelemetryServiceClient,
  type Pattern,
} from '@patternmesh/proto';
import type { RunningServices } from '@patternmesh/service-kit';
import { startServicesForTest, unary } from '@patternmesh/service-kit/testing';
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

const pattern = (amount: number): Pattern =>
  aPattern({
    source: 'bank.wires',
    entity: 'acct-1',
    normalized: aNormalized({
      kind: 'transaction',
      severity: Severity.SEVERITY_LOW,
      amount,
      currency: 'EUR',
    }),
  });

const none = () => new grpc.Metadata();

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'pm-rules-'));
  const file = path.join(dir, 'rules.json');
  writeFileSync(file, JSON.stringify(RULES));
  running = await startServicesForTest([classifierService], { PATTERNMESH_RULES_FILE: file });
  client = new ClassifierServiceClient(`127.0.0.1:${running.grpcPort}`, grpc.credentials.createInsecure());
});

afterAll(async () => {
  client?.close();
  await running?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('classifier over gRPC, rules from a file', () => {
  it('Classify applies the file’s rules and says which matched', async () => {
    const { pattern: out } = await unary(client, client.classify, { pattern: pattern(2_000_000) }, none());
    expect(out?.classification).toMatchObject({
      category: 'fraud',
      priority: Priority.PRIORITY_CRITICAL,
      ruleIds: ['vip-wire'],
      labels: ['vip-wire'],
    });
    // Only the file's rules are loaded: a small wire matches none of them.
    const small = await unary(client, client.classify, { pattern: pattern(10) }, none());
    expect(small.pattern?.classification?.ruleIds).toEqual([]);
  });

  it('ClassifyBatch classifies each pattern in order', async () => {
    const { patterns } = await unary(
      client,
      client.classifyBatch,
      { patterns: [pattern(10), pattern(5_000_000)] },
      none(),
    );
    expect(patterns.map((p) => p.classification?.ruleIds)).toEqual([[], ['vip-wire']]);
  });

  it('Classify without a pattern is INVALID_ARGUMENT with the catalog code', async () => {
    const error = (await unary(client, client.classify, {}, none()).catch(
      (e: unknown) => e,
    )) as grpc.ServiceError;
    expect(error.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(error.metadata.get('pm-error-code')).toEqual(['VALIDATION_FAILED']);
  });

  it('TelemetryService.GetLoad reports the classify stage', async () => {
    const telemetry = new TelemetryServiceClient(
      `127.0.0.1:${running.grpcPort}`,
      grpc.credentials.createInsecure(),
    );
    const load = await unary(telemetry, telemetry.getLoad, {}, none());
    telemetry.close();
    expect(load.stages.map((s) => s.stage)).toEqual(['classify']);
    expect(load.observedAt).toBeInstanceOf(Date);
  });
});
