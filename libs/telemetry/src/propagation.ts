import { context, propagation, type Context } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';

/**
 * Trace context in message properties under the W3C keys `traceparent` and `tracestate` — the keys
 * the Pulsar Java client's OpenTelemetry support uses, so traces join across clients.
 */
const w3c = new W3CTraceContextPropagator();

export function injectTraceContext(
  properties: Record<string, string>,
  ctx: Context = context.active(),
): void {
  w3c.inject(ctx, properties, {
    set: (carrier, key, value) => {
      carrier[key] = value;
    },
  });
}

export function extractTraceContext(properties: Readonly<Record<string, string>>): Context {
  return w3c.extract(context.active(), properties, {
    get: (carrier, key) => carrier[key],
    keys: (carrier) => Object.keys(carrier),
  });
}

// Keep the global propagator in line with what we write on messages.
propagation.setGlobalPropagator(w3c);

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
