/**
 * Evidence that the broker stopped dispatching to a consumer that could take messages, from the
 * subscription's mark-delete position and the topic's last entry (GET_LAST_MESSAGE_ID). Two broker races
 * need it (both seen on Pulsar 4.0.8 and still in 4.2.4); each consumer type reacts in its own way.
 *
 * 1. Failover handover: the new active consumer asks for redelivery.
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

/*
 * 2. Key_Shared look-ahead at the tail: when every entry the dispatcher reads is blocked because its key
 * hash has messages waiting for replay (e.g. after a consumer died with unacked messages), the dispatcher
 * reads ahead and skips the replay once. If that read-ahead reaches the end of the topic, its next read
 * waits for new entries, and the replay is not tried again until something else calls the dispatcher
 * (a FLOW, an ack that moves mark-delete, a new entry, a consumer change). A surviving consumer with all
 * its permits and nothing to ack sends none of those: it starves while the replay queue holds the
 * backlog. A FLOW of one permit makes the dispatcher try again, so a Shared or Key_Shared consumer that
 * has received nothing for a while, has nothing queued and sees a backlog sends one (and absorbs that
 * extra permit from the next ones it returns, so its queue stays bounded).
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

/** The topic has entries past the subscription's mark-delete position (an empty topic's last entry is -1). */
export function hasBacklog(markDelete: EntryPosition, last: EntryPosition): boolean {
  return last.entryId >= 0 && compare(last, markDelete) > 0;
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
  if (!hasBacklog(markDelete, last)) return false;
  if (lowestReceived === undefined) return true;
  // Everything up to what arrived has been acked since: the dispatch started in the right place.
  if (compare(lowestReceived, markDelete) <= 0) return false;
  if (lowestReceived.ledgerId === markDelete.ledgerId) return lowestReceived.entryId > markDelete.entryId + 1;
  // A later ledger: only its first entry can directly follow mark-delete (the end of an earlier ledger).
  return lowestReceived.entryId > 0;
}
