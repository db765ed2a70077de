import { uuidv7 } from '@patternmesh/pattern';
import type { Pattern, PatternInput } from '@patternmesh/proto';

/**
 * The envelope the gateway publishes to `raw`. The tenant comes from the caller's API key, never from
 * the body; an entity-less pattern is keyed by its own id, so it still has a stable key.
 */
export function buildPattern(input: PatternInput, tenant: string, now: Date = new Date()): Pattern {
  const id = uuidv7(now.getTime());
  return {
    id,
    tenant,
    source: input.source,
    receivedAt: now,
    eventTime: input.eventTime ?? now,
    idempotencyKey: input.idempotencyKey,
    contentType: input.contentType || 'application/json',
    payload: Buffer.from(input.payload),
    attributes: { ...input.attributes },
    entity: input.entity || id,
  };
}
