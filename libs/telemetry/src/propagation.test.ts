import { describe, expect, it } from 'vitest';
import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { extractTraceContext, injectTraceContext } from './propagation';

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
  });
});
