import { context, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import { AttributeKeys } from './names';
import { extractTraceContext } from './propagation';

const tracer = () => trace.getTracer('patternmesh');

async function inSpan<T>(span: Span, fn: () => Promise<T>): Promise<T> {
  try {
    return await context.with(trace.setSpan(context.active(), span), fn);
  } catch (error) {
    span.recordException(error as Error);
    span.setStatus({ code: SpanStatusCode.ERROR });
    throw error;
  } finally {
    span.end();
  }
}

/** Runs `fn` in a PRODUCER span: what it publishes carries this span as parent. */
export function withProducerSpan<T>(name: string, destination: string, fn: () => Promise<T>): Promise<T> {
  const span = tracer().startSpan(name, {
    kind: SpanKind.PRODUCER,
    attributes: {
      [AttributeKeys.messagingSystem]: 'pulsar',
      [AttributeKeys.messagingDestination]: destination,
    },
  });
  return inSpan(span, fn);
}

/** Runs `fn` in a CONSUMER span continuing the trace carried in the message's properties. */
export function withConsumerSpan<T>(
  name: string,
  source: string,
  properties: Readonly<Record<string, string>>,
  fn: () => Promise<T>,
): Promise<T> {
  const span = tracer().startSpan(
    name,
    {
      kind: SpanKind.CONSUMER,
      attributes: { [AttributeKeys.messagingSystem]: 'pulsar', [AttributeKeys.messagingDestination]: source },
    },
    extractTraceContext(properties),
  );
  return inSpan(span, fn);
}
