import { DeadLetterProps, deadLetterTopicName } from '@patternmesh/pattern';
import type { BusMessage, DeadLetterPolicy, OutgoingMessage } from './port';

/** The policy's dead-letter topic, or the convention `<topic>-<subscription>-DLQ`. */
export function deadLetterTopic(topic: string, subscription: string, policy: DeadLetterPolicy): string {
  return policy.topic ?? deadLetterTopicName(topic, subscription);
}

/**
 * The dead-letter copy of a message: payload, key, event time and properties kept, plus where it came
 * from and why it failed (`DeadLetterProps`, the names the Pulsar clients use), so whoever reads the
 * DLQ can act on it or replay it.
 */
export function deadLetterMessage(
  message: BusMessage,
  subscription: string,
  failure: { code: string; reason: string },
  now: Date = new Date(),
): OutgoingMessage {
  return {
    payload: message.payload,
    key: message.key,
    eventTime: message.eventTime,
    properties: {
      ...message.properties,
      [DeadLetterProps.realTopic]: message.topic,
      [DeadLetterProps.originMessageId]: message.id,
      [DeadLetterProps.subscription]: subscription,
      [DeadLetterProps.attempts]: String(message.redeliveryCount + 1),
      [DeadLetterProps.reason]: failure.reason,
      [DeadLetterProps.errorCode]: failure.code,
      [DeadLetterProps.failedAt]: now.toISOString(),
    },
  };
}
