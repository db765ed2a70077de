/**
 * Detects a Failover handover the broker left stalled, so the new active consumer can ask for
 * redelivery instead of waiting forever.
 *
 * Why: on a Failover subscription the broker delays the cursor rewind for the new active consumer
 * (`activeConsumerFailoverDelayTimeMillis`, 1 s). If a dispatch to the old consumer completes inside
 * that window, its completion issues a read for the new consumer at the old read position (past what
 * the old consumer never acked). When the delayed rewind runs, that read is still pending, so the
 * rewind reads nothing: the unacked messages are not dispatched until something else rewinds the
 * cursor, and if the topic is idle the new consumer gets nothing at all (seen on Pulsar 4.0.8 and
 * still in 4.2.4's PersistentDispatcherSingleActiveConsumer). A REDELIVER_UNACKNOWLEDGED_MESSAGES
 * from the active consumer cancels that read, rewinds and reads again — so we send one when the
 * evidence says the handover stalled.
 *
 * The evidence: after a correct rewind the first entry dispatched is the one right after the
 * subscription's mark-delete position (that entry is unacked by definition, or mark-delete would be
 * past it). So, a while after becoming active, ask the broker for the mark-delete position and the
 * last entry (GET_LAST_MESSAGE_ID): the handover stalled if there is a backlog and nothing arrived,
 * or if the lowest entry that arrived lies beyond the entry after mark-delete.
 */

/** A position in a topic: ledger, then entry. */
export interface EntryPosition {
  readonly ledgerId: number;
  readonly entryId: number;
}

function compare(a: EntryPosition, b: EntryPosition): number {
  return a.ledgerId !== b.ledgerId ? a.ledgerId - b.ledgerId : a.entryId - b.entryId;
}

/** Lower of two positions (either may be undefined). */
export function lowerPosition(a: EntryPosition | undefined, b: EntryPosition): EntryPosition {
  return a === undefined || compare(b, a) < 0 ? { ledgerId: b.ledgerId, entryId: b.entryId } : a;
}

/**
 * True when the broker's dispatch to the new active consumer skipped or never started.
 * `lowestReceived`: the lowest entry received since becoming active (undefined: none);
 * `markDelete`: the subscription's mark-delete position now; `last`: the topic's last entry.
 */
export function handoverStalled(
  lowestReceived: EntryPosition | undefined,
  markDelete: EntryPosition,
  last: EntryPosition,
): boolean {
  // No backlog (last entry ≤ mark-delete; an empty topic reports entry -1): nothing to deliver.
  if (last.entryId < 0 || compare(last, markDelete) <= 0) return false;
  if (lowestReceived === undefined) return true;
  // Everything up to what arrived has been acked since: the dispatch started in the right place.
  if (compare(lowestReceived, markDelete) <= 0) return false;
  if (lowestReceived.ledgerId === markDelete.ledgerId) return lowestReceived.entryId > markDelete.entryId + 1;
  // A later ledger: only its first entry can directly follow mark-delete (the end of an earlier ledger).
  return lowestReceived.entryId > 0;
}
