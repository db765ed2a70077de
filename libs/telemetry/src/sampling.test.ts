import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { forwardProperties } from './propagation';
import { traceSampler } from './sampling';
import { telemetrySettings } from './settings';
import { endSpan, runInSpan, startConsumerSpan, startProducerSpan } from './tracing';

const target = { system: 'embedded', topic: 'raw' };
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-(0[01])$/;

describe('trace sampling', () => {
  const recorded = new InMemorySpanExporter();
  let contextManager: AsyncLocalStorageContextManager;

  function install(ratio: number): void {
    trace.disable();
    trace.setGlobalTracerProvider(
      new BasicTracerProvider({
        sampler: traceSampler(ratio),
        spanProcessors: [new SimpleSpanProcessor(recorded)],
      }),
    );
  }

  beforeEach(() => {
    contextManager = new AsyncLocalStorageContextManager().enable();
    context.setGlobalContextManager(contextManager);
    recorded.reset();
  });
  afterEach(() => {
    trace.disable();
    context.disable();
  });

  /** The gateway's publish: a PRODUCER span, trace context written into the message's properties. */
  const publish = async () => {
    const properties: Record<string, string> = {};
    const span = startProducerSpan('ingest publish', target, properties);
    await Promise.resolve(); // the bus accepting it
    endSpan(span);
    return properties;
  };

  /** A stage's handling of one message, as StageWorker does it: what it publishes carries the context. */
  const consume = (incoming: Record<string, string>) => {
    const span = startConsumerSpan('classify process', target, incoming);
    const forwarded = runInSpan(span, () => forwardProperties(incoming, {}));
    endSpan(span);
    return forwarded;
  };

  it('records about none of the new traces at ratio 0, yet every message still carries trace context', async () => {
    install(0);
    const messages = await Promise.all(Array.from({ length: 50 }, publish));
    expect(recorded.getFinishedSpans()).toHaveLength(0);
    const ids = new Set<string>();
    for (const properties of messages) {
      const [, traceId, , flags] = TRACEPARENT.exec(properties['traceparent'] ?? '') ?? [];
      expect(flags).toBe('00'); // not sampled, so the next hops do not record either
      ids.add(traceId!);
    }
    expect(ids.size).toBe(50); // one trace per pattern, as when recorded
  });

  it('records every span at ratio 1', async () => {
    install(1);
    const properties = await publish();
    expect(properties['traceparent']).toMatch(/-01$/);
    expect(recorded.getFinishedSpans()).toHaveLength(1);
  });

  it("follows the parent's decision downstream whatever the local ratio: a journey is recorded whole", async () => {
    install(0);
    const sampledParent = { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' };
    const forwarded = consume(sampledParent);
    const spans = recorded.getFinishedSpans();
    expect(spans).toHaveLength(1);
    expect(spans[0]!.spanContext().traceId).toBe('0af7651916cd43dd8448eb211c80319c');
    // The next hop gets this span as parent, still sampled.
    expect(forwarded['traceparent']).toMatch(/^00-0af7651916cd43dd8448eb211c80319c-[0-9a-f]{16}-01$/);
    expect(forwarded['traceparent']).not.toBe(sampledParent.traceparent);

    install(1);
    recorded.reset();
    const unsampledParent = { traceparent: '00-1af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00' };
    // Not even started, and the context travels on unchanged: the next hop does not record either.
    expect(consume(unsampledParent)['traceparent']).toBe(unsampledParent.traceparent);
    expect(recorded.getFinishedSpans()).toHaveLength(0);
  });

  it('records about the configured share of new traces', async () => {
    install(0.25);
    const messages = await Promise.all(Array.from({ length: 2000 }, publish));
    const sampled = messages.filter((p) => p['traceparent']!.endsWith('-01')).length;
    // Binomial(2000, 0.25): mean 500, sd ~19; 420..580 is over four sd either way.
    expect(sampled).toBeGreaterThan(420);
    expect(sampled).toBeLessThan(580);
    expect(recorded.getFinishedSpans()).toHaveLength(sampled);
    for (const p of messages) expect(p['traceparent']).toMatch(TRACEPARENT);
  });

  it("a producer under a request's span follows the request's decision", async () => {
    install(1);
    const unsampledRequest = trace.setSpanContext(context.active(), {
      traceId: '2af7651916cd43dd8448eb211c80319c',
      spanId: 'c7ad6b7169203331',
      traceFlags: 0,
      isRemote: true,
    });
    const properties = await context.with(unsampledRequest, publish);
    expect(properties['traceparent']).toBe('00-2af7651916cd43dd8448eb211c80319c-c7ad6b7169203331-00');
    expect(recorded.getFinishedSpans()).toHaveLength(0);
  });

  it('samples 1 % of new traces unless configured otherwise', () => {
    const ratio = telemetrySettings.PATTERNMESH_TRACE_SAMPLE_RATIO;
    expect(ratio.parse(undefined)).toEqual({ ok: true, value: 0.01 });
    expect(ratio.parse('0.5')).toEqual({ ok: true, value: 0.5 });
  });
});
