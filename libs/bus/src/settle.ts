import { deadLetterMessage, deadLetterTopic } from './dead-letter';
import { describeError, isRetryable } from './errors';
import type { BusMessage, MessageHandler, OutgoingMessage, SubscribeOptions } from './port';

export interface Settlement {
  ack(): void;
  nack(): void;
  publish(topic: string, message: OutgoingMessage): Promise<string>;
}

/**
 * Runs the handler for one delivery and settles it. Shared by every adapter so ack, nack and
 * dead-letter decisions are identical on the embedded bus and on Pulsar.
 * The dead-letter publish must succeed before the original is acked; if it fails, the message is
 * nacked and will come back: nothing is lost.
 */
export async function runAndSettle(
  message: BusMessage,
  handler: MessageHandler,
  options: Pick<SubscribeOptions, 'topic' | 'subscription' | 'deadLetter' | 'onDeadLetter'>,
  settlement: Settlement,
): Promise<void> {
  try {
    await handler(message);
    settlement.ack();
    return;
  } catch (error) {
    const policy = options.deadLetter;
    const deliveries = message.redeliveryCount + 1;
    if (!policy || (isRetryable(error) && deliveries < policy.maxDeliveries)) {
      settlement.nack();
      return;
    }
    const failure = describeError(error);
    // Named after the subscribed topic, not the partition the message came from.
    const topic = deadLetterTopic(options.topic, options.subscription, policy);
    try {
      await settlement.publish(topic, deadLetterMessage(message, options.subscription, failure));
      settlement.ack();
      options.onDeadLetter?.(message, topic, failure);
    } catch {
      settlement.nack();
    }
  }
}
