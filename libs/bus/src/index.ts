export type {
  BatchHandler,
  BatchSubscribeOptions,
  Bus,
  BusMessage,
  DeadLetterPolicy,
  MessageHandler,
  MessageOutcome,
  OutgoingMessage,
  PayloadSchema,
  SubscribeOptions,
  Subscription,
  SubscriptionType,
  SubscriptionBacklog,
} from './port';
export { BusError, isRetryable, describeError } from './errors';
export { deadLetterTopic, deadLetterMessage } from './dead-letter';
export { runAndSettle, runBatchAndSettle, batchOfOne, type Settlement } from './settle';
export { EmbeddedBus, type EmbeddedBusOptions } from './embedded/embedded-bus';
