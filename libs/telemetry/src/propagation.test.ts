import { describe, expect, it } from 'vitest';
import { ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import { TraceState, W3CTraceContextPropagator } from '@opentelemetry/core';
import { extractTraceContext, injectTraceContext, parentIsUnsampled, parseTraceparent } from './propagation';

const w3c = new W3CTraceContextPropagator();
const reference = (header: string) =>
  trace.getSpanContext(
    w3c.extract(ROOT_CONTEXT, { traceparent: header }, { get: (c, k) => c[k], keys: Object.keys }),
  );

describe('trace context over message properties', () => {
  it('writes and reads W3C traceparent so a consumer continues the producer trace', () => {
    const spanContext = {
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      traceFlags: 1,
    };
    const props: Record<string, string> = {};
    injectTraceContext(props, trace.setSpanContext(ROOT_CONTEXT, spanContext));
    expect(props['traceparent']).toBe('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01');
    const extracted = trace.getSpanContext(extractTraceContext(props));
    expect(extracted?.traceId).toBe(spanContext.traceId);
    expect(extracted?.spanId).toBe(spanContext.spanId);
    expect(extracted?.isRemote).toBe(true);
  });

  it('carries tracestate both ways', () => {
    const props: Record<string, string> = {};
    const spanContext = {
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      traceFlags: TraceFlags.NONE,
      traceState: new TraceState('vendor=abc,other=1'),
    };
    injectTraceContext(props, trace.setSpanContext(ROOT_CONTEXT, spanContext));
    expect(props['traceparent']).toMatch(/-00$/);
    expect(props['tracestate']).toBe('vendor=abc,other=1');
    expect(trace.getSpanContext(extractTraceContext(props))?.traceState?.get('vendor')).toBe('abc');
  });

  it("accepts and refuses exactly what OpenTelemetry's W3C propagator does", () => {
    const id = '0af7651916cd43dd8448eb211c80319c';
    const span = 'b7ad6b7169203331';
    const headers = [
      `00-${id}-${span}-01`,
      `00-${id}-${span}-00`,
      ` 00-${id}-${span}-01 `,
      `01-${id}-${span}-01-future-field`,
      `00-${id}-${span}-01-not-allowed-in-00`,
      `ff-${id}-${span}-01`,
      `00-${'0'.repeat(32)}-${span}-01`,
      `00-${id}-${'0'.repeat(16)}-01`,
      `00-${id.toUpperCase()}-${span}-01`,
      `00-${id}-${span}-0g`,
      `00-${id}-${span}`,
      `00_${id}-${span}-01`,
      '',
      'garbage',
    ];
    for (const header of headers) {
      const ours = parseTraceparent(header);
      const theirs = reference(header);
      expect(ours && { ...ours }, header).toEqual(theirs && { ...theirs });
    }
  });

  it('tells an unsampled parent apart for every flags byte, as the W3C propagator reads the flag', () => {
    for (let flags = 0; flags < 256; flags++) {
      const hex = flags.toString(16).padStart(2, '0');
      const header = `00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-${hex}`;
      const sampled = ((reference(header)?.traceFlags ?? 0) & TraceFlags.SAMPLED) === TraceFlags.SAMPLED;
      expect(parentIsUnsampled({ traceparent: header }), hex).toBe(!sampled);
    }
    // No parent, or one that does not parse: not known to be unsampled, so the sampler decides.
    expect(parentIsUnsampled({})).toBe(false);
    expect(parentIsUnsampled({ traceparent: 'garbage' })).toBe(false);
    expect(
      parentIsUnsampled({ traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-0G' }),
    ).toBe(false);
  });
});
