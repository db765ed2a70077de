import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { forwardProperties, injectTraceContext } from './propagation';
import { traceSampler } from './sampling';
import { telemetrySettings } from './settings';
import { withConsumerSpan, withProducerSpan } from './tracing';

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
  const publish = () =>
    withProducerSpan('ingest publish', target, async () => {
      const properties: Record<string, string> = {};
      injectTraceContext(properties);
      return properties;
    });

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
    const forwarded = await withConsumerSpan('classify process', target, sampledParent, async () =>
      forwardProperties(sampledParent, {}),
    );
    const spans = recorded.getFinishedSpans();
    expect(spans).toHaveLength(1);
    expect(spans[0]!.spanContext().traceId).toBe('0af7651916cd43dd8448eb211c80319c');
    // The next hop gets this span as parent, still sampled.
    expect(forwarded['traceparent']).toMatch(/^00-0af7651916cd43dd8448eb211c80319c-[0-9a-f]{16}-01$/);
    expect(forwarded['traceparent']).not.toBe(sampledParent.traceparent);

    install(1);
    recorded.reset();
    const unsampledParent = { traceparent: '00-1af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00' };
    await withConsumerSpan('classify process', target, unsampledParent, async () => undefined);
    expect(recorded.getFinishedSpans()).toHaveLength(0);
  });

  it('samples 1 % of new traces unless configured otherwise', () => {
    const ratio = telemetrySettings.PATTERNMESH_TRACE_SAMPLE_RATIO;
    expect(ratio.parse(undefined)).toEqual({ ok: true, value: 0.01 });
    expect(ratio.parse('0.5')).toEqual({ ok: true, value: 0.5 });
  });
});
