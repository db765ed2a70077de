import { describe, expect, it, vi } from 'vitest';
import { AckTracker } from './ack-tracker';
import { BatchAckState } from './batch-ack-state';
import { MessageId } from './message-id';
import { PulsarError } from './errors';
import type { MessageIdData } from './proto/commands';

function setup(connected = true) {
  const sent: { ids: MessageIdData[]; cumulative: MessageIdData | undefined }[] = [];
  let up = connected;
  const t = new AckTracker(
    (ids, cumulative) => {
      if (!up) return false;
      sent.push({ ids: [...ids], cumulative });
      return true;
    },
    { groupingMs: 1_000_000 },
  );
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
    void t.ack(new MessageId(1, 1));
    void t.ack(new MessageId(1, 2));
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
    void t.ack(ids[2]!);
    void t.ack(ids[0]!);
    t.flush();
    expect(sent).toHaveLength(0);
    expect(t.partialBatches).toBe(1);
    void t.ack(ids[1]!);
    t.flush();
    expect(sent).toEqual([{ ids: [{ ledgerId: 5, entryId: 9 }], cumulative: undefined }]);
    expect(t.partialBatches).toBe(0);
  });

  it('keeps batch state across redelivery so acked messages can be skipped', () => {
    const { t } = setup();
    const ids = batchIds(t, 2, 2, 4);
    void t.ack(ids[1]!);
    const again = t.batchState(2, 2, 4);
    expect(again.isPending(1)).toBe(false);
    expect(again.isPending(0)).toBe(true);
  });

  it('cumulative ack inside an incomplete batch acks up to the previous entry', () => {
    const { t, sent } = setup();
    const ids = batchIds(t, 3, 10, 3);
    void t.ackCumulative(ids[1]!);
    t.flush();
    expect(sent).toEqual([{ ids: [], cumulative: { ledgerId: 3, entryId: 9 } }]);
    void t.ackCumulative(ids[2]!);
    t.flush();
    expect(sent[1]).toEqual({ ids: [], cumulative: { ledgerId: 3, entryId: 10 } });
  });

  it('keeps only the highest cumulative position', () => {
    const { t, sent } = setup();
    void t.ackCumulative(new MessageId(1, 5));
    void t.ackCumulative(new MessageId(1, 3));
    t.flush();
    expect(sent[0]!.cumulative).toEqual({ ledgerId: 1, entryId: 5 });
  });

  it('retains acks while disconnected and sends them later', () => {
    const { t, sent, setUp } = setup(false);
    void t.ack(new MessageId(1, 1));
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
      const t = new AckTracker((ids) => (sent.push(ids.length), true), {
        groupingMs: 100,
        maxGroupSize: 3,
      });
      void t.ack(new MessageId(1, 1));
      vi.advanceTimersByTime(99);
      expect(sent).toEqual([]);
      vi.advanceTimersByTime(1);
      expect(sent).toEqual([1]);
      void t.ack(new MessageId(1, 2));
      void t.ack(new MessageId(1, 3));
      void t.ack(new MessageId(1, 4));
      expect(sent).toEqual([1, 3]);
      t.close();
    } finally {
      vi.useRealTimers();
    }
  });

  it('forgets a partly acked batch that is not delivered again (it went to another consumer)', () => {
    let now = 0;
    const t = new AckTracker(() => true, { groupingMs: 1_000_000, partialBatchTtlMs: 1_000, now: () => now });
    const [first] = batchIds(t, 1, 1, 3);
    void t.ack(first!);
    expect(t.partialBatches).toBe(1);
    now = 500;
    batchIds(t, 1, 1, 3); // delivered again: still wanted, and its clock restarts
    now = 1_400;
    batchIds(t, 1, 2, 2); // any later delivery sweeps what expired
    expect(t.partialBatches).toBe(2);
    now = 1_600;
    batchIds(t, 1, 3, 2);
    // Entry 1:1 was last delivered at 500: gone. The others are younger.
    expect(t.partialBatches).toBe(2);
    expect(batchIds(t, 1, 1, 3)[0]!.batchState!.isPending(0)).toBe(true);
  });

  it('keeps at most maxPartialBatches partly acked batches, dropping the least recently delivered', () => {
    const t = new AckTracker(() => true, { groupingMs: 1_000_000, maxPartialBatches: 2 });
    for (const entry of [1, 2, 3]) void t.ack(batchIds(t, 1, entry, 2)[0]!);
    expect(t.partialBatches).toBe(2);
    // 1:1 was dropped: delivered again, nothing of it counts as acked any more (a duplicate at worst).
    expect(batchIds(t, 1, 1, 2)[0]!.batchState!.isPending(0)).toBe(true);
    // 1:3 survived, with its acked message.
    expect(batchIds(t, 1, 3, 2)[0]!.batchState!.isPending(0)).toBe(false);
  });

  it('still acks the whole entry through ids the application holds after their state was dropped', () => {
    const sent: MessageIdData[][] = [];
    const t = new AckTracker((ids) => (sent.push([...ids]), true), {
      groupingMs: 1_000_000,
      maxPartialBatches: 1,
    });
    const ids = batchIds(t, 1, 1, 2);
    void t.ack(ids[0]!);
    void t.ack(batchIds(t, 1, 2, 2)[0]!); // pushes 1:1 out of the map
    void t.ack(ids[1]!);
    t.flush();
    expect(sent).toEqual([[{ ledgerId: 1, entryId: 1 }]]);
  });

  describe('with receipts', () => {
    function receiptSetup() {
      const calls: { ids: MessageIdData[]; settle: (e?: Error) => void }[] = [];
      let up = true;
      const t = new AckTracker(
        (ids, _cumulative, withReceipt) => {
          expect(withReceipt).toBe(true);
          if (!up) return false;
          return new Promise<void>((resolve, reject) =>
            calls.push({ ids: [...ids], settle: (e) => (e ? reject(e) : resolve()) }),
          );
        },
        { groupingMs: 1_000_000, receipts: true },
      );
      return { t, calls, setUp: (v: boolean) => (up = v) };
    }
    /** What `p` has settled to after pending callbacks ran (a macrotask later). */
    async function state(p: Promise<void>): Promise<string> {
      let result = 'pending';
      p.then(
        () => (result = 'resolved'),
        (e: Error) => (result = `rejected: ${e.message}`),
      );
      await new Promise((r) => setImmediate(r));
      return result;
    }

    it('resolves ack() only once the broker confirmed the ACK that carried it', async () => {
      const { t, calls } = receiptSetup();
      const a = t.ack(new MessageId(1, 1));
      const b = t.ackCumulative(new MessageId(1, 0));
      expect(await state(a)).toBe('pending');
      t.flush();
      expect(await state(a)).toBe('pending');
      calls[0]!.settle();
      expect(await state(a)).toBe('resolved');
      expect(await state(b)).toBe('resolved');
    });

    it('re-sends an ACK whose connection dropped before the answer, and keeps the caller waiting', async () => {
      const { t, calls, setUp } = receiptSetup();
      const a = t.ack(new MessageId(1, 7));
      t.flush();
      setUp(false);
      calls[0]!.settle(new PulsarError('PULSAR_CONNECTION_CLOSED', 'gone'));
      await Promise.resolve();
      expect(await state(a)).toBe('pending');
      setUp(true);
      t.flush(); // the next session
      expect(calls[1]!.ids).toEqual([{ ledgerId: 1, entryId: 7 }]);
      calls[1]!.settle();
      expect(await state(a)).toBe('resolved');
    });

    it("rejects with the broker's error, and fails what was never sent when closed", async () => {
      const { t, calls, setUp } = receiptSetup();
      const a = t.ack(new MessageId(1, 1));
      t.flush();
      calls[0]!.settle(new PulsarError('PULSAR_NOT_ALLOWED', 'no'));
      expect(await state(a)).toBe('rejected: no');
      setUp(false);
      const b = t.ack(new MessageId(1, 2));
      t.close(new PulsarError('PULSAR_CONSUMER_CLOSED', 'closed'));
      expect(await state(b)).toBe('rejected: closed');
    });

    it('resolves at once for a message whose batch entry is not complete (nothing is sent yet)', async () => {
      const { t, calls } = receiptSetup();
      const ids = batchIds(t, 1, 1, 2);
      expect(await state(t.ack(ids[0]!))).toBe('resolved');
      t.flush();
      expect(calls).toHaveLength(0);
    });
  });
});
