import type { BusMessage, DeadLetterPolicy, OutgoingMessage } from './port';

/**
 * Properties a dead-lettered message carries, so whoever reads the DLQ knows where it came from and
 * why it failed. `REAL_TOPIC` and `ORIGIN_MESSAGE_ID` are the names the Java client uses, so tools
 * built for Pulsar's own DLQ read ours too.
 */
export const DeadLetterProps = {
  realTopic: 'REAL_TOPIC',
  originMessageId: 'ORIGIN_MESSAGE_ID',
  subscription: 'pm-dlq-subscription',
  key: 'pm-dlq-key',
  attempts: 'pm-dlq-attempts',
  reason: 'pm-dlq-reason',
  errorCode: 'pm-dlq-error-code',
  failedAt: 'pm-dlq-failed-at',
} as const;

export function deadLetterTopic(topic: string, subscription: string, policy: DeadLetterPolicy): string {
  return policy.topic ?? `${topic}-${subscription}-DLQ`;
}

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
      [DeadLetterProps.key]: message.key ?? '',
      [DeadLetterProps.attempts]: String(message.redeliveryCount + 1),
      [DeadLetterProps.reason]: failure.reason,
      [DeadLetterProps.errorCode]: failure.code,
      [DeadLetterProps.failedAt]: now.toISOString(),
    },
  };
}
