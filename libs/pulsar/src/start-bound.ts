/**
 * Where a consumer's stream must start, enforced on the client.
 *
 * Why the client has to: a SUBSCRIBE with `start_message_id` makes the broker (seen on 4.0.8; it steps
 * the position back one entry in case the start is inside a batch) deliver from the start entry itself,
 * inclusive, whatever its batch index. And a SEEK lands on an entry, not on a message inside a batch.
 * So after a reader start, a non-durable resume or a seek, the first entries that arrive may hold
 * messages before the wanted start, and the client drops them — the Java and Go clients do the same
 * (`startMessageIdInclusive`, `isPriorBatchIndex`, `messageShouldBeDiscarded`).
 */
import type { MessageIdData } from './proto/commands';

/** Deliver only messages after `(ledgerId, entryId, batchIndex)`, or at it too when `inclusive`. */
export interface StartBound {
  readonly ledgerId: number;
  readonly entryId: number;
  /** −1: the bound is the entry as a whole (a non-batched message, or the start of a batch entry). */
  readonly batchIndex: number;
  readonly inclusive: boolean;
}

/**
 * Whether message `batchIndex` (−1 when not batched) of entry `entry` comes before the bound and must
 * be dropped.
 */
export function beforeStart(bound: StartBound, entry: MessageIdData, batchIndex: number): boolean {
  if (entry.ledgerId !== bound.ledgerId) return entry.ledgerId < bound.ledgerId;
  if (entry.entryId !== bound.entryId) return entry.entryId < bound.entryId;
  // Same entry. A bound on a whole entry keeps all of it when inclusive and drops all of it otherwise.
  if (bound.batchIndex < 0) return !bound.inclusive;
  return bound.inclusive ? batchIndex < bound.batchIndex : batchIndex <= bound.batchIndex;
}

/** True once `entry` lies past the bound's entry: nothing later can be before it, so stop checking. */
export function pastStart(bound: StartBound, entry: MessageIdData): boolean {
  return (
    entry.ledgerId > bound.ledgerId || (entry.ledgerId === bound.ledgerId && entry.entryId > bound.entryId)
  );
}
