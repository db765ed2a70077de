import { ParentBasedSampler, TraceIdRatioBasedSampler, type Sampler } from '@opentelemetry/sdk-trace-base';

/**
 * Which spans are recorded: a new trace (a pattern entering at the gateway) with probability `ratio`,
 * and every span with a parent the parent's decision — carried in `traceparent`'s sampled flag — so
 * a pattern's journey is recorded whole or not at all. An unrecorded span costs almost nothing (no
 * attributes, no export) but still has a trace and span id, so context propagates on every message.
 */
export function traceSampler(ratio: number): Sampler {
  return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio) });
}
