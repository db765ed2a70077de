/**
 * What a producer batches into: either one open batch ({@link SingleBatchContainer}, the default) or one
 * open batch per key (`KeyBatchContainer`). The producer adds messages, flushes when the container is
 * full or its delay expires, and frames each batch the container emits.
 */
import type { Batch, BatchedMessage } from './batch-builder';
import { BatchBuilder } from './batch-builder';

/** Reserves `n` consecutive sequence ids and returns the first. */
export type SequenceIdAllocator = (n: number) => number;

export interface BatchContainer<T extends BatchedMessage> {
  /**
   * True when batch records are written at flush time rather than on `add()`. Then messages get their
   * sequence ids from the allocator at flush (so it cannot take a message with an explicit sequence id),
   * and it references each message's payload until then (so the caller must hand it a private copy).
   */
  readonly writesAtFlush: boolean;
  /** Messages held. */
  readonly count: number;
  /**
   * Caps every single batch at `bytes` (the broker's max message size, known once connected): a larger
   * frame would make the broker drop the connection, again on each re-send.
   */
  capBatchBytes(bytes: number): void;
  /** The largest payload the container batches; a larger message is sent alone. */
  readonly maxMessageBytes: number;
  /** Whether `m` fits now (an empty container takes anything). */
  canAdd(m: T): boolean;
  add(m: T): void;
  /** True when the container should be flushed now. */
  readonly full: boolean;
  /**
   * Emits every held message as batches, in the order they must go on the wire, and empties the
   * container. With `borrow`, each batch's payload is only valid during its `emit` call.
   */
  flush(allocate: SequenceIdAllocator, borrow: boolean, emit: (batch: Batch<T>) => void): void;
  /** Empties the container without emitting, returning what it held (to fail them). */
  discard(): T[];
}

/** One open batch: messages keep the sequence ids given on `send()`, so batches follow send order. */
export class SingleBatchContainer<T extends BatchedMessage> implements BatchContainer<T> {
  readonly writesAtFlush = false;
  private readonly builder: BatchBuilder<T>;

  constructor(
    maxMessages: number,
    private readonly maxBytes: number,
  ) {
    this.builder = new BatchBuilder<T>(maxMessages, maxBytes);
  }

  get count(): number {
    return this.builder.count;
  }

  capBatchBytes(bytes: number): void {
    this.builder.maxBytes = Math.min(this.maxBytes, bytes);
  }

  get maxMessageBytes(): number {
    return this.builder.maxBytes;
  }

  canAdd(m: T): boolean {
    return this.builder.canAdd(m);
  }

  add(m: T): void {
    // The builder copies the payload into its buffer here, so the caller's buffer is free at once.
    this.builder.add(m);
  }

  get full(): boolean {
    return this.builder.full;
  }

  flush(_allocate: SequenceIdAllocator, borrow: boolean, emit: (batch: Batch<T>) => void): void {
    if (this.builder.count > 0) emit(this.builder.build(borrow));
  }

  discard(): T[] {
    return this.builder.count > 0 ? this.builder.build(true).messages : [];
  }
}
