// `patternmesh autoscaler history` against a real broker: it shows what the autoscaler kept, and writes
// a stage's history as a trace the backtest reads back minute for minute.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LoadHistory } from '@patternmesh/autoscaler';
import { PulsarBus } from '@patternmesh/bus-pulsar';
import { parseTrace } from '@patternmesh/forecast';
import { autoscalerHistoryTopic } from '@patternmesh/pattern';
import { deleteTenants } from '@patternmesh/pulsar-tools';
import { createLogger } from '@patternmesh/service-kit';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runPatternmesh } from './run-cli';

const TOPIC_TENANT = `hist${Date.now().toString(36)}`;
const MINUTE = 60_000;
/** Two hours ago, on a minute: the kept window (two weeks by default) holds all of it. */
const START = Math.floor((Date.now() - 2 * 3_600_000) / MINUTE) * MINUTE;

const cli = (args: string[]) =>
  runPatternmesh(args, {
    PATTERNMESH_BUS: 'pulsar',
    PULSAR_URL: inject('pulsarUrl'),
    PULSAR_ADMIN_URL: inject('pulsarAdminUrl'),
    PATTERNMESH_TOPIC_TENANT: TOPIC_TENANT,
    PATTERNMESH_LOG_LEVEL: 'silent',
  });

beforeAll(async () => {
  // The tenant and its control namespace, as the chart's hook Job creates them.
  const provisioned = await cli(['provision']);
  expect(provisioned.code, provisioned.stderr).toBe(0);
  // What a running autoscaler would have kept: 90 minutes of normalize (a gap at 40–44) and 30 of route.
  const bus = PulsarBus.connect({ serviceUrl: inject('pulsarUrl'), adminUrl: inject('pulsarAdminUrl') });
  const history = new LoadHistory({
    bus,
    topic: autoscalerHistoryTopic(TOPIC_TENANT),
    stepMs: MINUTE,
    keepSteps: 20_160,
    logger: createLogger('test', { level: 'silent' }),
  });
  for (let i = 0; i < 90; i++)
    history.record('normalize', START + i * MINUTE, i >= 40 && i < 45 ? Number.NaN : 10 + i);
  for (let i = 0; i < 30; i++) history.record('route', START + i * MINUTE, 5);
  await history.flush();
  await bus.close();
});

afterAll(() => deleteTenants(inject('pulsarAdminUrl'), [TOPIC_TENANT]));

describe('patternmesh autoscaler history', () => {
  it('summarizes every stage the autoscaler kept', async () => {
    const run = await cli(['autoscaler', 'history']);
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain('stage=normalize steps=90 with_data=85');
    expect(lines[0]).toContain(`from=${new Date(START).toISOString()}`);
    expect(lines[0]).toContain('last_per_s=99.00');
    expect(lines[1]).toContain('stage=route steps=30 with_data=30');
  });

  it('writes a stage as a per-minute trace that the backtest reads back', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'pm-history-')), 'normalize.csv');
    const run = await cli(['autoscaler', 'history', '--stage', 'normalize', '--csv', file]);
    expect(run.code, run.stderr).toBe(0);
    const trace = parseTrace(readFileSync(file, 'utf8'));
    expect(trace.start).toBe(START);
    expect(trace.values.length).toBe(90);
    // Events per minute: 60 × the step's rate; the gap is filled from the minute before it.
    expect(trace.values[0]).toBe(600);
    expect(trace.values[42]).toBe(60 * 49);
    expect(trace.values[89]).toBe(60 * 99);
    expect(trace.filled).toBe(5);
  });

  it('says what is wrong: --csv without a stage, a stage with no history', async () => {
    const noStage = await cli(['autoscaler', 'history', '--csv', 'x.csv']);
    expect(noStage.code).toBe(2);
    expect(noStage.stderr).toContain('--stage');
    const unknown = await cli(['autoscaler', 'history', '--stage', 'classify']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no history kept for stage classify');
  });
});
