/**
 * Client-side dead-letter and retry routing (Pulsar has no broker-side DLQ):
 *
 * - Dead letter: a message nacked after it was already redelivered `maxRedeliverCount` times (or passed
 *   to `consumer.deadLetter()`) is published to `<topic>-<subscription>-DLQ` with its payload, key,
 *   event time and properties plus context properties, and only then acked on the original topic.
 * - Retry: `consumer.reconsumeLater(msg, delay)` publishes to `<topic>-<subscription>-RETRY` with
 *   `deliver_at_time = now + delay` and the Java client's property names, then acks the original; the
 *   consumer also subscribes to the retry topic, so the message comes back after the delay. Past
 *   `maxRedeliverCount` reconsumes it goes to the DLQ instead.
 */
import type { ClientContext } from './client-context';
import { ProducerImpl } from './producer';
import type { Message } from './message';
import type { MessageId } from './message-id';

/** Property names written on dead-lettered and retried messages. */
export const DeadLetterProperties = {
  /** Topic the message was originally published to (Java `RetryMessageUtil.SYSTEM_PROPERTY_REAL_TOPIC`). */
  REAL_TOPIC: 'REAL_TOPIC',
  /** Original message id, Java string form `ledger:entry:partition[:batch]`. */
  ORIGIN_MESSAGE_ID: 'ORIGIN_MESSAGE_ID',
  /** Times the message went through the retry topic (Java name). */
  RECONSUMETIMES: 'RECONSUMETIMES',
  /** Retry delay in ms (Java name). */
  DELAY_TIME: 'DELAY_TIME',
  /** Retry topic name (Java name). */
  RETRY_TOPIC: 'RETRY_TOPIC',
  /** Subscription that gave up on the message. */
  ORIGIN_SUBSCRIPTION: 'ORIGIN_SUBSCRIPTION',
  /** Deliveries to the subscription before dead-lettering (redeliveryCount + 1). */
  DELIVERY_ATTEMPTS: 'DELIVERY_ATTEMPTS',
  /** Application-supplied reason from `nack(msg, reason)`, `deadLetter(msg, reason)` or `reconsumeLater`. */
  REASON: 'REASON',
} as const;

/** Dead-letter settings for a consumer. */
export interface DeadLetterPolicy {
  /** Redeliveries after which a nacked message is dead-lettered (≥ 1). */
  maxRedeliverCount: number;
  /** Default `<topic>-<subscription>-DLQ`. */
  deadLetterTopic?: string;
  /** Setting it (or `enableRetry`) turns on `reconsumeLater`; default `<topic>-<subscription>-RETRY`. */
  retryLetterTopic?: string;
  enableRetry?: boolean;
  /** Subscription created with the DLQ topic so dead letters are retained before anyone subscribes. */
  initialSubscriptionName?: string;
}

export interface ResolvedDeadLetterPolicy {
  maxRedeliverCount: number;
  deadLetterTopic: string;
  retryLetterTopic: string | undefined;
  initialSubscriptionName: string | undefined;
}

export function resolveDeadLetterPolicy(
  p: DeadLetterPolicy,
  topic: string,
  subscription: string,
): ResolvedDeadLetterPolicy {
  const retry = p.retryLetterTopic ?? (p.enableRetry ? `${topic}-${subscription}-RETRY` : undefined);
  return {
    maxRedeliverCount: Math.max(1, p.maxRedeliverCount),
    deadLetterTopic: p.deadLetterTopic ?? `${topic}-${subscription}-DLQ`,
    retryLetterTopic: retry,
    initialSubscriptionName: p.initialSubscriptionName,
  };
}

export class DeadLetterRouter {
  private dlqProducer: Promise<ProducerImpl> | undefined;
  private retryProducer: Promise<ProducerImpl> | undefined;

  constructor(
    private readonly ctx: ClientContext,
    readonly policy: ResolvedDeadLetterPolicy,
    private readonly subscription: string,
  ) {}

  /** True when a nack of `msg` should dead-letter it instead of asking for redelivery. */
  exhausted(msg: Message): boolean {
    return msg.redeliveryCount >= this.policy.maxRedeliverCount;
  }

  private producer(topic: string, which: 'dlq' | 'retry'): Promise<ProducerImpl> {
    const existing = which === 'dlq' ? this.dlqProducer : this.retryProducer;
    if (existing) return existing;
    const p = ProducerImpl.create(this.ctx, {
      topic,
      // Low volume, and the original is acked only after the receipt: no point waiting for a batch.
      batching: { enabled: false },
      ...(which === 'dlq' && this.policy.initialSubscriptionName
        ? { initialSubscriptionName: this.policy.initialSubscriptionName }
        : {}),
    });
    // A failed creation is retried on the next message rather than cached.
    p.catch(() => {
      if (which === 'dlq') this.dlqProducer = undefined;
      else this.retryProducer = undefined;
    });
    if (which === 'dlq') this.dlqProducer = p;
    else this.retryProducer = p;
    return p;
  }

  private originProps(msg: Message): Record<string, string> {
    const props: Record<string, string> = { ...msg.properties };
    props[DeadLetterProperties.REAL_TOPIC] ??= msg.topic;
    props[DeadLetterProperties.ORIGIN_MESSAGE_ID] ??= msg.id.toString();
    return props;
  }

  /** Publishes `msg` to the dead-letter topic; resolves with the DLQ message id. */
  async deadLetter(msg: Message, reason?: string): Promise<MessageId> {
    const props = this.originProps(msg);
    props[DeadLetterProperties.ORIGIN_SUBSCRIPTION] = this.subscription;
    props[DeadLetterProperties.DELIVERY_ATTEMPTS] = String(msg.redeliveryCount + 1);
    if (reason !== undefined) props[DeadLetterProperties.REASON] = reason;
    const producer = await this.producer(this.policy.deadLetterTopic, 'dlq');
    return producer.send({
      payload: msg.payload,
      ...(msg.key !== undefined ? { key: msg.key } : {}),
      ...(msg.eventTime !== undefined ? { eventTime: msg.eventTime } : {}),
      properties: props,
    });
  }

  /**
   * Publishes `msg` to the retry topic for redelivery after `delayMs`, or to the DLQ once it has been
   * reconsumed more than `maxRedeliverCount` times. Resolves with where it went.
   */
  async retry(
    msg: Message,
    delayMs: number,
    reason?: string,
    extra?: Record<string, string>,
  ): Promise<'retry' | 'dlq'> {
    const retryTopic = this.policy.retryLetterTopic;
    if (retryTopic === undefined) throw new TypeError('retry topic not enabled');
    const times = Number(msg.properties[DeadLetterProperties.RECONSUMETIMES] ?? '0') + 1;
    const props = { ...this.originProps(msg), ...extra };
    props[DeadLetterProperties.RECONSUMETIMES] = String(times);
    props[DeadLetterProperties.DELAY_TIME] = String(delayMs);
    props[DeadLetterProperties.RETRY_TOPIC] = retryTopic;
    if (reason !== undefined) props[DeadLetterProperties.REASON] = reason;
    if (times > this.policy.maxRedeliverCount) {
      await this.deadLetter({ ...msg, id: msg.id, properties: props }, reason);
      return 'dlq';
    }
    const producer = await this.producer(retryTopic, 'retry');
    await producer.send({
      payload: msg.payload,
      ...(msg.key !== undefined ? { key: msg.key } : {}),
      ...(msg.eventTime !== undefined ? { eventTime: msg.eventTime } : {}),
      properties: props,
      deliverAfterMs: delayMs,
    });
    return 'retry';
  }

  async close(): Promise<void> {
    const ps = [this.dlqProducer, this.retryProducer].filter(
      (p): p is Promise<ProducerImpl> => p !== undefined,
    );
    this.dlqProducer = undefined;
    this.retryProducer = undefined;
    await Promise.allSettled(ps.map(async (p) => (await p).close()));
  }
}
