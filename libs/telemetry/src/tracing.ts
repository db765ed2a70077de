import {
  context,
  isSpanContextValid,
  SpanKind,
  SpanStatusCode,
  trace,
  TraceFlags,
  type Span,
} from '@opentelemetry/api';
import { AttributeKeys } from './names';
import { extractTraceContext, injectTraceContext, parentIsUnsampled } from './propagation';

const tracer = () => trace.getTracer('patternmesh');

/** Where a span's messages go or come from: the bus in use (`Bus.kind`, e.g. `pulsar`) and the topic. */
export interface MessagingTarget {
  readonly system: string;
  readonly topic: string;
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

/**
 * The trace context of a message published outside any consumer (a pattern entering the pipeline),
 * written into `properties`, and its PRODUCER span when the trace is recorded — else `undefined`.
 *
 * The same decisions as starting a span under the parent-based sampler and running the publish in
 * it, without the context switch and the promise wrapper around every publish: an unsampled parent's
 * context is passed on as it is (no span); otherwise the SDK starts the span and its sampler decides,
 * and an unrecorded one (a new trace outside the ratio) only lends its fresh ids. End a returned span
 * with `endSpan` once the bus accepted the message.
 */
export function startProducerSpan(
  name: string,
  target: MessagingTarget,
  properties: Record<string, string>,
): Span | undefined {
  const active = context.active();
  const parent = trace.getSpanContext(active);
  if (parent !== undefined && isSpanContextValid(parent) && (parent.traceFlags & TraceFlags.SAMPLED) === 0) {
    injectTraceContext(properties, active);
    return undefined;
  }
  const span = tracer().startSpan(
    name,
    {
      kind: SpanKind.PRODUCER,
      attributes: {
        [AttributeKeys.messagingSystem]: target.system,
        [AttributeKeys.messagingDestination]: target.topic,
      },
    },
    active,
  );
  injectTraceContext(properties, trace.setSpan(active, span));
  // A span the sampler did not record has nothing to end or export.
  return span.isRecording() ? span : undefined;
}

/** Ends a span from `startProducerSpan` or `startConsumerSpan`, marking it failed when given an error. */
export function endSpan(span: Span | undefined, error?: unknown): void {
  if (!span) return;
  if (error !== undefined) {
    span.recordException(error as Error);
    span.setStatus({ code: SpanStatusCode.ERROR });
  }
  span.end();
}
