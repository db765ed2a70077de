/**
 * A received message. The public shape is the {@link Message} interface; {@link ReceivedMessage} adds
 * the bookkeeping the consumer needs to ack, nack and account flow permits.
 */
import type { MessageId } from './message-id';

/** A message as delivered to the application. */
export interface Message {
  readonly id: MessageId;
  /** Decompressed payload (a view; copy it if you keep it long and want the frame's memory freed). */
  readonly payload: Buffer;
  readonly key: string | undefined;
  readonly orderingKey: Buffer | undefined;
  readonly properties: Record<string, string>;
  /** Broker-side publish time, epoch ms. */
  readonly publishTime: number;
  /** Application event time, epoch ms, when the producer set one. */
  readonly eventTime: number | undefined;
  /** How many times the broker has redelivered this message to the subscription. */
  readonly redeliveryCount: number;
  /** The topic (partition) it came from. */
  readonly topic: string;
  readonly producerName: string;
  readonly sequenceId: number;
  /** Version of the topic schema the producer wrote it with (look it up in the registry); undefined without one. */
  readonly schemaVersion: Buffer | undefined;
}

/** Consumer-side identity of a message's origin (the partition consumer that received it). */
export interface MessageOwner {
  /** Incremented whenever queued messages of this owner become void (reconnect, redeliver-all). */
  readonly generation: number;
}

/**
 * @internal A message plus the consumer state it belongs to. The bookkeeping lives in ES private fields
 * so that logging a message (util.inspect) shows only the public shape, not the consumer behind it.
 */
export class ReceivedMessage implements Message {
  readonly #owner: MessageOwner;
  readonly #generation: number;

  constructor(
    readonly id: MessageId,
    readonly payload: Buffer,
    readonly key: string | undefined,
    readonly orderingKey: Buffer | undefined,
    readonly properties: Record<string, string>,
    readonly publishTime: number,
    readonly eventTime: number | undefined,
    /** Mutable inside the client: on Exclusive/Failover the consumer counts redeliveries itself. */
    public redeliveryCount: number,
    readonly topic: string,
    readonly producerName: string,
    readonly sequenceId: number,
    readonly schemaVersion: Buffer | undefined,
    owner: MessageOwner,
    generation: number,
  ) {
    this.#owner = owner;
    this.#generation = generation;
  }

  /** @internal The partition consumer that received this message. */
  get owner(): MessageOwner {
    return this.#owner;
  }

  /** @internal The owner's generation at receipt; stale once the owner reconnects. */
  get generation(): number {
    return this.#generation;
  }
}
