import { describe, expect, it } from 'vitest';
import { handoverStalled, hasBacklog, lowerPosition } from './dispatch-stall';

const at = (ledgerId: number, entryId: number) => ({ ledgerId, entryId });

describe('handoverStalled', () => {
  it('is not stalled without a backlog, whatever arrived', () => {
    expect(handoverStalled(undefined, at(5, 9), at(5, 9))).toBe(false);
    // An empty topic reports its last entry as -1.
    expect(handoverStalled(undefined, at(5, -1), at(5, -1))).toBe(false);
  });

  it('is stalled when there is a backlog and nothing arrived', () => {
    expect(handoverStalled(undefined, at(5, 24), at(5, 29))).toBe(true);
  });

  it('is not stalled when the first entry after mark-delete arrived', () => {
    expect(handoverStalled(at(5, 25), at(5, 24), at(5, 29))).toBe(false);
  });

  it('is stalled when dispatch skipped ahead of the entry after mark-delete', () => {
    expect(handoverStalled(at(5, 30), at(5, 24), at(5, 40))).toBe(true);
  });

  it('is not stalled when what arrived has been acked since', () => {
    expect(handoverStalled(at(5, 25), at(5, 27), at(5, 40))).toBe(false);
  });

  it('accepts the first entry of a later ledger, and nothing later in it', () => {
    expect(handoverStalled(at(6, 0), at(5, 24), at(6, 9))).toBe(false);
    expect(handoverStalled(at(6, 3), at(5, 24), at(6, 9))).toBe(true);
  });
});

describe('hasBacklog', () => {
  it('sees entries past mark-delete, in the same or a later ledger', () => {
    expect(hasBacklog(at(5, 24), at(5, 25))).toBe(true);
    expect(hasBacklog(at(5, 24), at(6, 0))).toBe(true);
  });

  it('sees none when everything up to the last entry is acked, or the topic is empty', () => {
    expect(hasBacklog(at(5, 24), at(5, 24))).toBe(false);
    expect(hasBacklog(at(5, -1), at(5, -1))).toBe(false);
  });
});

describe('lowerPosition', () => {
  it('keeps the lowest position by ledger, then entry', () => {
    let low = lowerPosition(undefined, at(6, 2));
    low = lowerPosition(low, at(6, 1));
    low = lowerPosition(low, at(7, 0));
    expect(low).toEqual(at(6, 1));
    expect(lowerPosition(low, at(5, 100))).toEqual(at(5, 100));
  });
});
