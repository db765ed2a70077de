import { describe, expect, it, vi } from 'vitest';
import { AckTracker } from './ack-tracker';
import { BatchAckState } from './batch-ack-state';
import { MessageId } from './message-id';
import type { MessageIdData } from './proto/commands';

function setup(connected = true) {
  const sent: { ids: MessageIdData[]; cumulative: MessageIdData | undefined }[] = [];
  let up = connected;
  const t = new AckTracker((ids, cumulative) => {
    if (!up) return false;
    sent.push({ ids: [...ids], cumulative });
    return true;
  }, 1_000_000);
  return { t, sent, setUp: (v: boolean) => (up = v) };
}

function batchIds(t: AckTracker, ledger: number, entry: number, n: number): MessageId[] {
  const state = t.batchState(ledger, entry, n);
  return Array.from({ length: n }, (_, i) => {
    const id = new MessageId(ledger, entry, -1, i, n);
    id.batchState = state;
    return id;
  });
}

describe('BatchAckState', () => {
  it('tracks pending indexes across word boundaries', () => {
    for (const n of [1, 31, 32, 33, 64, 100]) {
      const s = new BatchAckState(1, 1, n);
      for (let i = 0; i < n; i++) expect(s.isPending(i)).toBe(true);
      for (let i = 0; i < n - 1; i++) expect(s.ack(i)).toBe(false);
      expect(s.ack(n - 1)).toBe(true);
      expect(s.ack(n - 1)).toBe(true); // idempotent
    }
  });

  it('applies a broker ack_set (bit set = still to deliver)', () => {
    const s = new BatchAckState(1, 1, 70);
    // word 0: only bits 0 and 63 pending; word 1: bits 0..5 pending
    s.applyBrokerAckSet([BigInt.asIntN(64, (1n << 63n) | 1n), 0x3fn]);
    expect(s.isPending(0)).toBe(true);
    expect(s.isPending(1)).toBe(false);
    expect(s.isPending(63)).toBe(true);
    expect(s.isPending(64)).toBe(true);
    expect(s.isPending(69)).toBe(true);
    expect(s.pendingCount).toBe(2 + 6);
  });
});

describe('AckTracker', () => {
  it('groups individual acks until flushed', () => {
    const { t, sent } = setup();
    t.ack(new MessageId(1, 1));
    t.ack(new MessageId(1, 2));
    expect(sent).toHaveLength(0);
    expect(t.queued).toBe(2);
    t.flush();
    expect(sent).toEqual([
      {
        ids: [
          { ledgerId: 1, entryId: 1 },
          { ledgerId: 1, entryId: 2 },
        ],
        cumulative: undefined,
      },
    ]);
  });

  it('acks a batch entry only when every message of it is acked', () => {
    const { t, sent } = setup();
    const ids = batchIds(t, 5, 9, 3);
    t.ack(ids[2]!);
    t.ack(ids[0]!);
    t.flush();
    expect(sent).toHaveLength(0);
    expect(t.partialBatches).toBe(1);
    t.ack(ids[1]!);
    t.flush();
    expect(sent).toEqual([{ ids: [{ ledgerId: 5, entryId: 9 }], cumulative: undefined }]);
    expect(t.partialBatches).toBe(0);
  });

  it('keeps batch state across redelivery so acked messages can be skipped', () => {
    const { t } = setup();
    const ids = batchIds(t, 2, 2, 4);
    t.ack(ids[1]!);
    const again = t.batchState(2, 2, 4);
    expect(again.isPending(1)).toBe(false);
    expect(again.isPending(0)).toBe(true);
  });

  it('cumulative ack inside an incomplete batch acks up to the previous entry', () => {
    const { t, sent } = setup();
    const ids = batchIds(t, 3, 10, 3);
    t.ackCumulative(ids[1]!);
    t.flush();
    expect(sent).toEqual([{ ids: [], cumulative: { ledgerId: 3, entryId: 9 } }]);
    t.ackCumulative(ids[2]!);
    t.flush();
    expect(sent[1]).toEqual({ ids: [], cumulative: { ledgerId: 3, entryId: 10 } });
  });

  it('keeps only the highest cumulative position', () => {
    const { t, sent } = setup();
    t.ackCumulative(new MessageId(1, 5));
    t.ackCumulative(new MessageId(1, 3));
    t.flush();
    expect(sent[0]!.cumulative).toEqual({ ledgerId: 1, entryId: 5 });
  });

  it('retains acks while disconnected and sends them later', () => {
    const { t, sent, setUp } = setup(false);
    t.ack(new MessageId(1, 1));
    t.flush();
    expect(sent).toHaveLength(0);
    setUp(true);
    t.flush();
    expect(sent).toHaveLength(1);
  });

  it('flushes on the grouping timer and at the max group size', () => {
    vi.useFakeTimers();
    try {
      const sent: number[] = [];
      const t = new AckTracker((ids) => (sent.push(ids.length), true), 100, 3);
      t.ack(new MessageId(1, 1));
      vi.advanceTimersByTime(99);
      expect(sent).toEqual([]);
      vi.advanceTimersByTime(1);
      expect(sent).toEqual([1]);
      t.ack(new MessageId(1, 2));
      t.ack(new MessageId(1, 3));
      t.ack(new MessageId(1, 4));
      expect(sent).toEqual([1, 3]);
      t.close();
    } finally {
      vi.useRealTimers();
    }
  });
});
