/**
 * Reassembles chunked messages (a producer with chunking splits a message larger than the broker's
 * max message size into entries that share a `uuid`, numbered by `chunk_id`).
 *
 * A chunk is never acknowledged on its own: acking a chunk deletes it, and the message could then never
 * be rebuilt. Incomplete messages are bounded in number (`maxPending`, the oldest given up first) and in
 * age (`expireMs`), as in the Go and Java clients; a message given up is handed back for redelivery,
 * never acked. A chunk that does not continue a message in progress (its earlier chunks went to another
 * consumer, or were given up) is handed back the same way.
 */
import type { MessageIdData } from './proto/commands';
import type { MessageMetadata } from './proto/metadata';

interface Pending {
  readonly parts: Buffer[];
  readonly entries: MessageIdData[];
  readonly total: number;
  readonly startedAt: number;
  bytes: number;
}

/** A message whose last chunk arrived: the payload (still compressed, if it was), and every entry. */
export interface AssembledMessage {
  readonly payload: Buffer;
  /** The entries of all chunks, in order; the last one names the message. */
  readonly entries: MessageIdData[];
}

export type ChunkResult =
  | { kind: 'partial' }
  | { kind: 'complete'; message: AssembledMessage }
  /** Not part of a message in progress: give it back (do not ack). */
  | { kind: 'stray' };

export class ChunkAssembler {
  private readonly pending = new Map<string, Pending>();

  constructor(
    private readonly maxPending: number,
    private readonly expireMs: number,
    /** Entries of messages given up (too many pending, or too old): to be redelivered, never acked. */
    private readonly giveUp: (entries: MessageIdData[], why: string) => void,
  ) {}

  get size(): number {
    return this.pending.size;
  }

  add(id: MessageIdData, md: MessageMetadata, payload: Buffer, now = Date.now()): ChunkResult {
    this.expire(now);
    const uuid = md.uuid ?? '';
    const chunkId = md.chunkId ?? 0;
    const total = md.numChunksFromMsg ?? 1;
    let p = this.pending.get(uuid);
    if (chunkId === 0) {
      // A first chunk again means the message is being redelivered from its start: begin anew (its
      // earlier entries come again too).
      if (p) this.pending.delete(uuid);
      if (this.pending.size >= this.maxPending) this.dropOldest('too many incomplete chunked messages');
      p = { parts: [], entries: [], total, startedAt: now, bytes: 0 };
      this.pending.set(uuid, p);
    }
    if (p === undefined || chunkId !== p.entries.length || total !== p.total) {
      return { kind: 'stray' };
    }
    // A copy: the frame's bytes are a view into a socket chunk we should not keep alive.
    p.parts.push(Buffer.from(payload));
    p.entries.push({ ledgerId: id.ledgerId, entryId: id.entryId });
    p.bytes += payload.length;
    if (p.entries.length < p.total) return { kind: 'partial' };
    this.pending.delete(uuid);
    return { kind: 'complete', message: { payload: Buffer.concat(p.parts, p.bytes), entries: p.entries } };
  }

  /** Forgets everything in progress (a new session: the broker redelivers all unacked entries). */
  clear(): void {
    this.pending.clear();
  }

  private expire(now: number): void {
    for (const [uuid, p] of this.pending) {
      if (now - p.startedAt < this.expireMs) break; // insertion order: the rest are younger
      this.pending.delete(uuid);
      this.giveUp(p.entries, 'incomplete chunked message expired');
    }
  }

  private dropOldest(why: string): void {
    const oldest = this.pending.entries().next();
    if (oldest.done) return;
    const [uuid, p] = oldest.value;
    this.pending.delete(uuid);
    this.giveUp(p.entries, why);
  }
}
