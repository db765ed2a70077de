import {
  context,
  isSpanContextValid,
  propagation,
  trace,
  TraceFlags,
  type Context,
  type SpanContext,
} from '@opentelemetry/api';
import { isTracingSuppressed, TraceState, W3CTraceContextPropagator } from '@opentelemetry/core';

/**
 * Trace context in message properties under the W3C keys `traceparent` and `tracestate` — the keys
 * the Pulsar Java client's OpenTelemetry support uses, so traces join across clients.
 *
 * Every message of every stage is read and written here, so this is the W3C propagator's logic
 * without its per-call carrier closures and its lookahead regular expression: `traceparent` has
 * fixed offsets (`vv-<32 hex trace id>-<16 hex span id>-ff`), checked by position.
 */
const TRACEPARENT = 'traceparent';
const TRACESTATE = 'tracestate';

export function injectTraceContext(
  properties: Record<string, string>,
  ctx: Context = context.active(),
): void {
  const spanContext = trace.getSpanContext(ctx);
  if (!spanContext || isTracingSuppressed(ctx) || !isSpanContextValid(spanContext)) return;
  const flags = (spanContext.traceFlags || TraceFlags.NONE) & 0xff;
  properties[TRACEPARENT] =
    `00-${spanContext.traceId}-${spanContext.spanId}-${flags < 16 ? '0' : ''}${flags.toString(16)}`;
  if (spanContext.traceState) properties[TRACESTATE] = spanContext.traceState.serialize();
}

/** Lower-case hex digits only, over `[start, end)`. */
function isHex(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) return false;
  }
  return true;
}

/**
 * A W3C `traceparent` (https://www.w3.org/TR/trace-context/#traceparent-header): version (not `ff`),
 * trace id, parent span id (neither all zeros), flags. Version 00 is exactly 55 characters; a later
 * version may append fields after a `-`, which are ignored, as the specification asks.
 */
export function parseTraceparent(header: string): SpanContext | undefined {
  const value = header.trim();
  if (value.length < 55 || value[2] !== '-' || value[35] !== '-' || value[52] !== '-') return undefined;
  if (value.length > 55 && (value[55] !== '-' || value.startsWith('00'))) return undefined;
  if (!isHex(value, 0, 2) || value.startsWith('ff') || !isHex(value, 3, 35) || !isHex(value, 36, 52)) {
    return undefined;
  }
  if (!isHex(value, 53, 55)) return undefined;
  const spanContext: SpanContext = {
    traceId: value.slice(3, 35),
    spanId: value.slice(36, 52),
    traceFlags: parseInt(value.slice(53, 55), 16),
    isRemote: true,
  };
  return isSpanContextValid(spanContext) ? spanContext : undefined;
}

/**
 * True when the message carries a well-formed `traceparent` whose sampled flag is off. The flag is the
 * low bit of the last hex digit; anything malformed is "not known to be unsampled" (the sampler then
 * treats the message as a root).
 */
export function parentIsUnsampled(properties: Readonly<Record<string, string>>): boolean {
  const header = properties[TRACEPARENT];
  if (header === undefined || header.length !== 55 || header[52] !== '-') return false;
  const digit = header.charCodeAt(54);
  // '0'..'9' are 0x30..0x39, so the character's parity is the digit's; 'a'..'f' are 0x61..0x66 for
  // 10..15, so there it is the opposite.
  if (digit >= 48 && digit <= 57) return (digit & 1) === 0;
  if (digit >= 97 && digit <= 102) return (digit & 1) === 1;
  return false;
}

export function extractTraceContext(properties: Readonly<Record<string, string>>): Context {
  const active = context.active();
  const header = properties[TRACEPARENT];
  if (!header) return active;
  const spanContext = parseTraceparent(header);
  if (!spanContext) return active;
  const state = properties[TRACESTATE];
  if (state) spanContext.traceState = new TraceState(state);
  return trace.setSpanContext(active, spanContext);
}

// The global propagator (for libraries that propagate on their own, e.g. HTTP instrumentation) writes
// the same W3C headers as we do on messages.
propagation.setGlobalPropagator(new W3CTraceContextPropagator());

/**
 * Properties for a message a stage publishes while handling another: the incoming ones, the stage's
 * additions, and the current trace context in place of the incoming one, so the trace shows each hop.
 */
export function forwardProperties(
  incoming: Readonly<Record<string, string>>,
  additions: Readonly<Record<string, string>>,
): Record<string, string> {
  const properties = { ...incoming, ...additions };
  injectTraceContext(properties);
  return properties;
}
