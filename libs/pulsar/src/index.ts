/**
 * @patternmesh/pulsar — a pure-TypeScript client for the Apache Pulsar binary protocol.
 *
 * Public API: {@link PulsarClient} (producers, consumers), {@link PulsarAdmin} (REST admin),
 * {@link MessageId}, typed errors, and partitioning helpers.
 */
export { PulsarClient } from './client';
export type { PulsarClientOptions } from './client';
export type { PulsarLogger } from './client-context';
export type { TlsOptions } from './connection';
export type { TokenSource } from './auth';

export type {
  Producer,
  ProducerOptions,
  ProducerMessage,
  BatchingOptions,
  ProducerAccessModeName,
} from './producer';
export type { CompressionName } from './compression/index';
export { SchemaTypes } from './schema-info';
export type { SchemaInfo, SchemaType } from './schema-info';

export type { Consumer, ConsumerOptions, SeekTarget, SubscriptionType } from './consumer';
export type { Reader, ReaderOptions } from './reader';
export type { Message } from './message';
export { DeadLetterProperties } from './dead-letter';
export type { DeadLetterPolicy } from './dead-letter';

export { MessageId } from './message-id';

export { PulsarError, isPulsarError } from './errors';
export type { PulsarErrorCode } from './errors';

export { PulsarAdmin } from './admin';
export type {
  PulsarAdminOptions,
  TopicStats,
  PartitionedTopicStats,
  SubscriptionStats,
  RetentionPolicy,
  BacklogQuota,
  TopicSchema,
} from './admin';

export { javaStringHash, javaStringHashCode, partitionForKey } from './partitioning';
export { parseTopicName, partitionTopic } from './topic-name';
export type { TopicName } from './topic-name';
