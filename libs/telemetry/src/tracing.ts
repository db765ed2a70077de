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

/** Where a span's messages go or come from: the bus in use (`Bus.kind`, e.g. `pulsar`) and the topic. */
export interface MessagingTarget {
  readonly system: string;
  readonly topic: string;
}

/** Runs `fn` in a PRODUCER span: what it publishes carries this span as parent. */
export function withProducerSpan<T>(name: string, target: MessagingTarget, fn: () => Promise<T>): Promise<T> {
  const span = tracer().startSpan(name, {
    kind: SpanKind.PRODUCER,
    attributes: {
      [AttributeKeys.messagingSystem]: target.system,
      [AttributeKeys.messagingDestination]: target.topic,
    },
  });
  return inSpan(span, fn);
}

/** Runs `fn` in a CONSUMER span continuing the trace carried in the message's properties. */
export function withConsumerSpan<T>(
  name: string,
  source: MessagingTarget,
  properties: Readonly<Record<string, string>>,
  fn: () => Promise<T>,
): Promise<T> {
  const span = tracer().startSpan(
    name,
    {
      kind: SpanKind.CONSUMER,
      attributes: {
        [AttributeKeys.messagingSystem]: source.system,
        [AttributeKeys.messagingDestination]: source.topic,
      },
    },
    extractTraceContext(properties),
  );
  return inSpan(span, fn);
}
