import { context, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import { AttributeKeys } from './names';
import { extractTraceContext, parentIsUnsampled } from './propagation';

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

/**
 * A CONSUMER span for a message, or `undefined` when the message's trace is not sampled.
 *
 * Stages run under the parent-based sampler: a message whose `traceparent` says "not sampled" would
 * get a non-recording span, so none is started (at tens of thousands of messages per second that
 * span, its context and its attributes are measurable). What such a message publishes keeps the
 * incoming `traceparent` (see `forwardProperties`), so the trace context still travels on every
 * message. A message without a `traceparent` is a root: the sampler decides.
 */
export function startConsumerSpan(
  name: string,
  source: MessagingTarget,
  properties: Readonly<Record<string, string>>,
): Span | undefined {
  if (parentIsUnsampled(properties)) return undefined;
  return tracer().startSpan(
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
}

/** Runs `fn` with `span` active (what it publishes carries the span as parent); no span: just runs it. */
export function runInSpan<T>(span: Span | undefined, fn: () => T): T {
  return span ? context.with(trace.setSpan(context.active(), span), fn) : fn();
}

/** Ends a span from `startConsumerSpan` with the message's outcome. */
export function endConsumerSpan(span: Span | undefined, error?: unknown): void {
  if (!span) return;
  if (error !== undefined) {
    span.recordException(error as Error);
    span.setStatus({ code: SpanStatusCode.ERROR });
  }
  span.end();
}
