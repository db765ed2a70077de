/**
 * W3C Trace Context over message properties. The Java client's OpenTelemetry support (and the OTel
 * Java agent's Pulsar instrumentation) write `traceparent` / `tracestate` into message properties, so
 * using the same keys lets traces cross between Java and TypeScript services.
 *
 * The getter/setter pair matches OpenTelemetry's `TextMapGetter`/`TextMapSetter` shape, so
 * `propagation.inject(context, props, propertiesSetter)` works without this library depending on OTel.
 */
import { randomBytes } from 'node:crypto';

export const TRACEPARENT = 'traceparent';
export const TRACESTATE = 'tracestate';

/** A parsed `traceparent` (version 00) plus optional `tracestate`. */
export interface TraceContext {
  /** 32 lowercase hex chars, not all zero. */
  traceId: string;
  /** 16 lowercase hex chars, not all zero. */
  spanId: string;
  /** Bit 0 = sampled. */
  traceFlags: number;
  traceState?: string;
}

const TRACEPARENT_RE = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(?:-.*)?$/;

/** Parses a `traceparent` header value; undefined when malformed (per spec: ignore, don't fail). */
export function parseTraceparent(value: string | undefined): Omit<TraceContext, 'traceState'> | undefined {
  if (!value) return undefined;
  const m = TRACEPARENT_RE.exec(value.trim());
  if (!m) return undefined;
  const [, version, traceId, spanId, flags] = m as unknown as [string, string, string, string, string];
  if (version === 'ff') return undefined;
  if (version === '00' && value.trim().length !== 55) return undefined;
  if (/^0+$/.test(traceId) || /^0+$/.test(spanId)) return undefined;
  return { traceId, spanId, traceFlags: parseInt(flags, 16) };
}

/** Formats a `traceparent` value (version 00). */
export function formatTraceparent(ctx: Pick<TraceContext, 'traceId' | 'spanId' | 'traceFlags'>): string {
  return `00-${ctx.traceId}-${ctx.spanId}-${(ctx.traceFlags & 0xff).toString(16).padStart(2, '0')}`;
}

/** Writes the trace context into (a copy of) message properties. */
export function injectTraceContext(
  properties: Record<string, string> | undefined,
  ctx: TraceContext,
): Record<string, string> {
  const out: Record<string, string> = { ...properties, [TRACEPARENT]: formatTraceparent(ctx) };
  if (ctx.traceState) out[TRACESTATE] = ctx.traceState;
  else delete out[TRACESTATE];
  return out;
}

/** Reads the trace context from message properties. */
export function extractTraceContext(
  properties: Record<string, string> | undefined,
): TraceContext | undefined {
  const tp = parseTraceparent(properties?.[TRACEPARENT]);
  if (!tp) return undefined;
  const ts = properties?.[TRACESTATE];
  return ts ? { ...tp, traceState: ts } : tp;
}

/** A new span context: a child of `parent` (same trace) or the root of a new sampled trace. */
export function newTraceContext(parent?: TraceContext): TraceContext {
  const spanId = randomBytes(8).toString('hex');
  if (parent)
    return {
      traceId: parent.traceId,
      spanId,
      traceFlags: parent.traceFlags,
      ...(parent.traceState ? { traceState: parent.traceState } : {}),
    };
  return { traceId: randomBytes(16).toString('hex'), spanId, traceFlags: 1 };
}

/** OpenTelemetry `TextMapSetter` for message properties. */
export const propertiesSetter = {
  set(carrier: Record<string, string>, key: string, value: string): void {
    carrier[key] = value;
  },
};

/** OpenTelemetry `TextMapGetter` for message properties. */
export const propertiesGetter = {
  keys(carrier: Record<string, string>): string[] {
    return Object.keys(carrier);
  },
  get(carrier: Record<string, string>, key: string): string | undefined {
    return carrier[key];
  },
};
