export type {
  Bus,
  BusMessage,
  DeadLetterPolicy,
  MessageHandler,
  OutgoingMessage,
  SubscribeOptions,
  Subscription,
  SubscriptionType,
} from './port';
export { BusError, isRetryable, describeError } from './errors';
export { DeadLetterProps, deadLetterTopic, deadLetterMessage } from './dead-letter';
export { runAndSettle, type Settlement } from './settle';
export { EmbeddedBus, type EmbeddedBusOptions } from './embedded/embedded-bus';
export { PulsarBus, type PulsarBusOptions } from './pulsar/pulsar-bus';
export { provisionPulsar, type ProvisionOptions } from './pulsar/provision';
