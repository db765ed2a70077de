/**
 * The Pulsar `BaseCommand` and the sub-commands this client speaks, as schema tables over the wire
 * codec. Field numbers follow the Pulsar binary protocol (PulsarApi.proto, package `pulsar.proto`);
 * only the fields we read or write are declared — unknown ones are skipped on decode.
 */
import { decodeMessage, encodeMessage, message } from './schema';
import type { ProtoReader, ProtoWriter } from './wire';

/** `BaseCommand.Type` values; each equals the field number of its sub-command in BaseCommand. */
export const CommandType = {
  CONNECT: 2,
  CONNECTED: 3,
  SUBSCRIBE: 4,
  PRODUCER: 5,
  SEND: 6,
  SEND_RECEIPT: 7,
  SEND_ERROR: 8,
  MESSAGE: 9,
  ACK: 10,
  FLOW: 11,
  UNSUBSCRIBE: 12,
  SUCCESS: 13,
  ERROR: 14,
  CLOSE_PRODUCER: 15,
  CLOSE_CONSUMER: 16,
  PRODUCER_SUCCESS: 17,
  PING: 18,
  PONG: 19,
  REDELIVER_UNACKNOWLEDGED_MESSAGES: 20,
  PARTITIONED_METADATA: 21,
  PARTITIONED_METADATA_RESPONSE: 22,
  LOOKUP: 23,
  LOOKUP_RESPONSE: 24,
  REACHED_END_OF_TOPIC: 27,
  SEEK: 28,
  GET_LAST_MESSAGE_ID: 29,
  GET_LAST_MESSAGE_ID_RESPONSE: 30,
  ACTIVE_CONSUMER_CHANGE: 31,
  GET_TOPICS_OF_NAMESPACE: 32,
  GET_TOPICS_OF_NAMESPACE_RESPONSE: 33,
  AUTH_CHALLENGE: 36,
  AUTH_RESPONSE: 37,
  ACK_RESPONSE: 38,
  TOPIC_MIGRATED: 68,
} as const;
export type CommandTypeValue = (typeof CommandType)[keyof typeof CommandType];

/** Protocol version we announce in CONNECT (v20: topic migration; we use nothing newer). */
export const PROTOCOL_VERSION = 20;

export const SubType = { Exclusive: 0, Shared: 1, Failover: 2, Key_Shared: 3 } as const;
export const InitialPosition = { Latest: 0, Earliest: 1 } as const;
export const AckType = { Individual: 0, Cumulative: 1 } as const;
export const ValidationError = {
  UncompressedSizeCorruption: 0,
  DecompressionError: 1,
  ChecksumMismatch: 2,
  BatchDeSerializeError: 3,
  DecryptionError: 4,
} as const;
/** `CommandGetTopicsOfNamespace.Mode`: which topic domain a namespace listing covers. */
export const TopicDomainMode = { PERSISTENT: 0, NON_PERSISTENT: 1, ALL: 2 } as const;
export const LookupType = { Redirect: 0, Connect: 1, Failed: 2 } as const;
export const ProducerAccessMode = {
  Shared: 0,
  Exclusive: 1,
  WaitForExclusive: 2,
  ExclusiveWithFencing: 3,
} as const;
export const CompressionType = { NONE: 0, LZ4: 1, ZLIB: 2, ZSTD: 3, SNAPPY: 4 } as const;

// ---- shared messages ----

export interface KeyValue {
  key: string;
  value: string;
}
export interface KeyLongValue {
  key: string;
  value: number;
}
export interface MessageIdData {
  ledgerId: number;
  entryId: number;
  partition?: number;
  batchIndex?: number;
  ackSet?: bigint[];
  batchSize?: number;
}
export interface FeatureFlags {
  supportsAuthRefresh?: boolean;
  supportsBrokerEntryMetadata?: boolean;
  supportsPartialProducer?: boolean;
  supportsTopicWatchers?: boolean;
}
export interface AuthData {
  authMethodName?: string;
  authData?: Uint8Array;
}
export interface IntRange {
  start: number;
  end: number;
}
export interface KeySharedMeta {
  keySharedMode: number;
  hashRanges?: IntRange[];
  allowOutOfOrderDelivery?: boolean;
}
/** `Schema`: what a producer or consumer declares to the schema registry (`type` is `Schema.Type`). */
export interface Schema {
  name: string;
  schemaData: Uint8Array;
  type: number;
  properties?: KeyValue[];
}

export const KeyValueSchema = message('KeyValue', { key: [1, 'string', 'req'], value: [2, 'string', 'req'] });
const KeyLongValueSchema = message('KeyLongValue', {
  key: [1, 'string', 'req'],
  value: [2, 'uint64', 'req'],
});
export const MessageIdDataSchema = message('MessageIdData', {
  ledgerId: [1, 'uint64', 'req'],
  entryId: [2, 'uint64', 'req'],
  partition: [3, 'int32'],
  batchIndex: [4, 'int32'],
  ackSet: [5, 'int64big', 'rep'],
  batchSize: [6, 'int32'],
});
const FeatureFlagsSchema = message('FeatureFlags', {
  supportsAuthRefresh: [1, 'bool'],
  supportsBrokerEntryMetadata: [2, 'bool'],
  supportsPartialProducer: [3, 'bool'],
  supportsTopicWatchers: [4, 'bool'],
});
const AuthDataSchema = message('AuthData', { authMethodName: [1, 'string'], authData: [2, 'bytes'] });
const IntRangeSchema = message('IntRange', { start: [1, 'int32', 'req'], end: [2, 'int32', 'req'] });
const KeySharedMetaSchema = message('KeySharedMeta', {
  keySharedMode: [1, 'enum', 'req'],
  hashRanges: [3, IntRangeSchema, 'rep'],
  allowOutOfOrderDelivery: [4, 'bool'],
});
const SchemaSchema = message('Schema', {
  name: [1, 'string', 'req'],
  schemaData: [3, 'bytes', 'req'],
  type: [4, 'enum', 'req'],
  properties: [5, KeyValueSchema, 'rep'],
});

// ---- commands ----

export interface CommandConnect {
  clientVersion: string;
  authMethodName?: string;
  authData?: Uint8Array;
  protocolVersion?: number;
  proxyToBrokerUrl?: string;
  featureFlags?: FeatureFlags;
}
export interface CommandConnected {
  serverVersion: string;
  protocolVersion?: number;
  maxMessageSize?: number;
  featureFlags?: FeatureFlags;
}
export interface CommandAuthChallenge {
  serverVersion?: string;
  challenge?: AuthData;
  protocolVersion?: number;
}
export interface CommandAuthResponse {
  clientVersion?: string;
  response?: AuthData;
  protocolVersion?: number;
}
export interface CommandSubscribe {
  topic: string;
  subscription: string;
  subType: number;
  consumerId: number;
  requestId: number;
  consumerName?: string;
  priorityLevel?: number;
  durable?: boolean;
  startMessageId?: MessageIdData;
  metadata?: KeyValue[];
  readCompacted?: boolean;
  schema?: Schema;
  initialPosition?: number;
  replicateSubscriptionState?: boolean;
  forceTopicCreation?: boolean;
  startMessageRollbackDurationSec?: number;
  keySharedMeta?: KeySharedMeta;
  subscriptionProperties?: KeyValue[];
  consumerEpoch?: number;
}
export interface CommandPartitionedTopicMetadata {
  topic: string;
  requestId: number;
  metadataAutoCreationEnabled?: boolean;
}
export interface CommandPartitionedTopicMetadataResponse {
  partitions?: number;
  requestId: number;
  response?: number;
  error?: number;
  message?: string;
}
export interface CommandLookupTopic {
  topic: string;
  requestId: number;
  authoritative?: boolean;
  advertisedListenerName?: string;
}
export interface CommandLookupTopicResponse {
  brokerServiceUrl?: string;
  brokerServiceUrlTls?: string;
  response?: number;
  requestId: number;
  authoritative?: boolean;
  error?: number;
  message?: string;
  proxyThroughServiceUrl?: boolean;
}
export interface CommandProducer {
  topic: string;
  producerId: number;
  requestId: number;
  producerName?: string;
  encrypted?: boolean;
  metadata?: KeyValue[];
  schema?: Schema;
  epoch?: number;
  userProvidedProducerName?: boolean;
  producerAccessMode?: number;
  topicEpoch?: number;
  txnEnabled?: boolean;
  initialSubscriptionName?: string;
}
export interface CommandSend {
  producerId: number;
  sequenceId: number;
  numMessages?: number;
  highestSequenceId?: number;
  isChunk?: boolean;
  marker?: boolean;
}
export interface CommandSendReceipt {
  producerId: number;
  sequenceId: number;
  messageId?: MessageIdData;
  highestSequenceId?: number;
}
export interface CommandSendError {
  producerId: number;
  sequenceId: number;
  error: number;
  message: string;
}
export interface CommandMessage {
  consumerId: number;
  messageId: MessageIdData;
  redeliveryCount?: number;
  ackSet?: bigint[];
  consumerEpoch?: number;
}
export interface CommandAck {
  consumerId: number;
  ackType: number;
  messageId?: MessageIdData[];
  validationError?: number;
  properties?: KeyLongValue[];
  requestId?: number;
}
export interface CommandAckResponse {
  consumerId: number;
  error?: number;
  message?: string;
  requestId?: number;
}
export interface CommandActiveConsumerChange {
  consumerId: number;
  isActive?: boolean;
}
export interface CommandFlow {
  consumerId: number;
  messagePermits: number;
}
export interface CommandUnsubscribe {
  consumerId: number;
  requestId: number;
  force?: boolean;
}
export interface CommandSeek {
  consumerId: number;
  requestId: number;
  messageId?: MessageIdData;
  messagePublishTime?: number;
}
export interface CommandReachedEndOfTopic {
  consumerId: number;
}
export interface CommandTopicMigrated {
  resourceId: number;
  resourceType: number;
  brokerServiceUrl?: string;
  brokerServiceUrlTls?: string;
}
export interface CommandCloseProducer {
  producerId: number;
  requestId: number;
  assignedBrokerServiceUrl?: string;
  assignedBrokerServiceUrlTls?: string;
}
export interface CommandCloseConsumer {
  consumerId: number;
  requestId: number;
  assignedBrokerServiceUrl?: string;
  assignedBrokerServiceUrlTls?: string;
}
export interface CommandRedeliverUnacknowledgedMessages {
  consumerId: number;
  messageIds?: MessageIdData[];
  consumerEpoch?: number;
}
export interface CommandSuccess {
  requestId: number;
}
export interface CommandProducerSuccess {
  requestId: number;
  producerName: string;
  lastSequenceId?: number;
  schemaVersion?: Uint8Array;
  topicEpoch?: number;
  producerReady?: boolean;
}
export interface CommandError {
  requestId: number;
  error: number;
  message: string;
}
export type CommandPing = Record<string, never>;
export type CommandPong = Record<string, never>;
export interface CommandGetLastMessageId {
  consumerId: number;
  requestId: number;
}
export interface CommandGetLastMessageIdResponse {
  lastMessageId: MessageIdData;
  requestId: number;
  consumerMarkDeletePosition?: MessageIdData;
}
export interface CommandGetTopicsOfNamespace {
  requestId: number;
  namespace: string;
  mode?: number;
  /** Broker-side filter (a Java regex); the broker says whether it applied it with `filtered`. */
  topicsPattern?: string;
  /** Hash of the last answer's topics: a broker that filtered answers `changed: false` when they are the same. */
  topicsHash?: string;
}
export interface CommandGetTopicsOfNamespaceResponse {
  requestId: number;
  topics?: string[];
  filtered?: boolean;
  topicsHash?: string;
  changed?: boolean;
}

/** Maps each command type to the shape of its body. */
export interface CommandBodies {
  [CommandType.CONNECT]: CommandConnect;
  [CommandType.CONNECTED]: CommandConnected;
  [CommandType.SUBSCRIBE]: CommandSubscribe;
  [CommandType.PRODUCER]: CommandProducer;
  [CommandType.SEND]: CommandSend;
  [CommandType.SEND_RECEIPT]: CommandSendReceipt;
  [CommandType.SEND_ERROR]: CommandSendError;
  [CommandType.MESSAGE]: CommandMessage;
  [CommandType.ACK]: CommandAck;
  [CommandType.FLOW]: CommandFlow;
  [CommandType.UNSUBSCRIBE]: CommandUnsubscribe;
  [CommandType.SUCCESS]: CommandSuccess;
  [CommandType.ERROR]: CommandError;
  [CommandType.CLOSE_PRODUCER]: CommandCloseProducer;
  [CommandType.CLOSE_CONSUMER]: CommandCloseConsumer;
  [CommandType.PRODUCER_SUCCESS]: CommandProducerSuccess;
  [CommandType.PING]: CommandPing;
  [CommandType.PONG]: CommandPong;
  [CommandType.REDELIVER_UNACKNOWLEDGED_MESSAGES]: CommandRedeliverUnacknowledgedMessages;
  [CommandType.PARTITIONED_METADATA]: CommandPartitionedTopicMetadata;
  [CommandType.PARTITIONED_METADATA_RESPONSE]: CommandPartitionedTopicMetadataResponse;
  [CommandType.LOOKUP]: CommandLookupTopic;
  [CommandType.LOOKUP_RESPONSE]: CommandLookupTopicResponse;
  [CommandType.REACHED_END_OF_TOPIC]: CommandReachedEndOfTopic;
  [CommandType.SEEK]: CommandSeek;
  [CommandType.GET_LAST_MESSAGE_ID]: CommandGetLastMessageId;
  [CommandType.GET_LAST_MESSAGE_ID_RESPONSE]: CommandGetLastMessageIdResponse;
  [CommandType.ACTIVE_CONSUMER_CHANGE]: CommandActiveConsumerChange;
  [CommandType.GET_TOPICS_OF_NAMESPACE]: CommandGetTopicsOfNamespace;
  [CommandType.GET_TOPICS_OF_NAMESPACE_RESPONSE]: CommandGetTopicsOfNamespaceResponse;
  [CommandType.AUTH_CHALLENGE]: CommandAuthChallenge;
  [CommandType.AUTH_RESPONSE]: CommandAuthResponse;
  [CommandType.ACK_RESPONSE]: CommandAckResponse;
  [CommandType.TOPIC_MIGRATED]: CommandTopicMigrated;
}

/** A decoded (or to-be-encoded) BaseCommand: a discriminated union on `type`. */
export type BaseCommand = {
  [K in keyof CommandBodies]: { type: K; body: CommandBodies[K] };
}[keyof CommandBodies];

const closeSpec = (idName: string) =>
  ({
    [idName]: [1, 'uint64', 'req'],
    requestId: [2, 'uint64', 'req'],
    assignedBrokerServiceUrl: [3, 'string'],
    assignedBrokerServiceUrlTls: [4, 'string'],
  }) as const;

const SCHEMAS = {
  [CommandType.CONNECT]: message('CommandConnect', {
    clientVersion: [1, 'string', 'req'],
    authData: [3, 'bytes'],
    protocolVersion: [4, 'int32'],
    authMethodName: [5, 'string'],
    proxyToBrokerUrl: [6, 'string'],
    featureFlags: [10, FeatureFlagsSchema],
  }),
  [CommandType.CONNECTED]: message('CommandConnected', {
    serverVersion: [1, 'string', 'req'],
    protocolVersion: [2, 'int32'],
    maxMessageSize: [3, 'int32'],
    featureFlags: [4, FeatureFlagsSchema],
  }),
  [CommandType.SUBSCRIBE]: message('CommandSubscribe', {
    topic: [1, 'string', 'req'],
    subscription: [2, 'string', 'req'],
    subType: [3, 'enum', 'req'],
    consumerId: [4, 'uint64', 'req'],
    requestId: [5, 'uint64', 'req'],
    consumerName: [6, 'string'],
    priorityLevel: [7, 'int32'],
    durable: [8, 'bool'],
    startMessageId: [9, MessageIdDataSchema],
    metadata: [10, KeyValueSchema, 'rep'],
    readCompacted: [11, 'bool'],
    schema: [12, SchemaSchema],
    initialPosition: [13, 'enum'],
    replicateSubscriptionState: [14, 'bool'],
    forceTopicCreation: [15, 'bool'],
    startMessageRollbackDurationSec: [16, 'uint64'],
    keySharedMeta: [17, KeySharedMetaSchema],
    subscriptionProperties: [18, KeyValueSchema, 'rep'],
    consumerEpoch: [19, 'uint64'],
  }),
  [CommandType.PRODUCER]: message('CommandProducer', {
    topic: [1, 'string', 'req'],
    producerId: [2, 'uint64', 'req'],
    requestId: [3, 'uint64', 'req'],
    producerName: [4, 'string'],
    encrypted: [5, 'bool'],
    metadata: [6, KeyValueSchema, 'rep'],
    schema: [7, SchemaSchema],
    epoch: [8, 'uint64'],
    userProvidedProducerName: [9, 'bool'],
    producerAccessMode: [10, 'enum'],
    topicEpoch: [11, 'uint64'],
    txnEnabled: [12, 'bool'],
    initialSubscriptionName: [13, 'string'],
  }),
  [CommandType.SEND]: message('CommandSend', {
    producerId: [1, 'uint64', 'req'],
    sequenceId: [2, 'uint64', 'req'],
    numMessages: [3, 'int32'],
    highestSequenceId: [6, 'uint64'],
    isChunk: [7, 'bool'],
    marker: [8, 'bool'],
  }),
  [CommandType.SEND_RECEIPT]: message('CommandSendReceipt', {
    producerId: [1, 'uint64', 'req'],
    sequenceId: [2, 'uint64', 'req'],
    messageId: [3, MessageIdDataSchema],
    highestSequenceId: [4, 'uint64'],
  }),
  [CommandType.SEND_ERROR]: message('CommandSendError', {
    producerId: [1, 'uint64', 'req'],
    sequenceId: [2, 'uint64', 'req'],
    error: [3, 'enum', 'req'],
    message: [4, 'string', 'req'],
  }),
  [CommandType.MESSAGE]: message('CommandMessage', {
    consumerId: [1, 'uint64', 'req'],
    messageId: [2, MessageIdDataSchema, 'req'],
    redeliveryCount: [3, 'uint32'],
    ackSet: [4, 'int64big', 'rep'],
    consumerEpoch: [5, 'uint64'],
  }),
  [CommandType.ACK]: message('CommandAck', {
    consumerId: [1, 'uint64', 'req'],
    ackType: [2, 'enum', 'req'],
    messageId: [3, MessageIdDataSchema, 'rep'],
    validationError: [4, 'enum'],
    properties: [5, KeyLongValueSchema, 'rep'],
    requestId: [8, 'uint64'],
  }),
  [CommandType.FLOW]: message('CommandFlow', {
    consumerId: [1, 'uint64', 'req'],
    messagePermits: [2, 'uint32', 'req'],
  }),
  [CommandType.UNSUBSCRIBE]: message('CommandUnsubscribe', {
    consumerId: [1, 'uint64', 'req'],
    requestId: [2, 'uint64', 'req'],
    force: [3, 'bool'],
  }),
  [CommandType.SUCCESS]: message('CommandSuccess', { requestId: [1, 'uint64', 'req'] }),
  [CommandType.ERROR]: message('CommandError', {
    requestId: [1, 'uint64', 'req'],
    error: [2, 'enum', 'req'],
    message: [3, 'string', 'req'],
  }),
  [CommandType.CLOSE_PRODUCER]: message('CommandCloseProducer', closeSpec('producerId')),
  [CommandType.CLOSE_CONSUMER]: message('CommandCloseConsumer', closeSpec('consumerId')),
  [CommandType.PRODUCER_SUCCESS]: message('CommandProducerSuccess', {
    requestId: [1, 'uint64', 'req'],
    producerName: [2, 'string', 'req'],
    lastSequenceId: [3, 'int64'],
    schemaVersion: [4, 'bytes'],
    topicEpoch: [5, 'uint64'],
    producerReady: [6, 'bool'],
  }),
  [CommandType.PING]: message('CommandPing', {}),
  [CommandType.PONG]: message('CommandPong', {}),
  [CommandType.REDELIVER_UNACKNOWLEDGED_MESSAGES]: message('CommandRedeliverUnacknowledgedMessages', {
    consumerId: [1, 'uint64', 'req'],
    messageIds: [2, MessageIdDataSchema, 'rep'],
    consumerEpoch: [3, 'uint64'],
  }),
  [CommandType.PARTITIONED_METADATA]: message('CommandPartitionedTopicMetadata', {
    topic: [1, 'string', 'req'],
    requestId: [2, 'uint64', 'req'],
    metadataAutoCreationEnabled: [6, 'bool'],
  }),
  [CommandType.PARTITIONED_METADATA_RESPONSE]: message('CommandPartitionedTopicMetadataResponse', {
    partitions: [1, 'uint32'],
    requestId: [2, 'uint64', 'req'],
    response: [3, 'enum'],
    error: [4, 'enum'],
    message: [5, 'string'],
  }),
  [CommandType.LOOKUP]: message('CommandLookupTopic', {
    topic: [1, 'string', 'req'],
    requestId: [2, 'uint64', 'req'],
    authoritative: [3, 'bool'],
    advertisedListenerName: [7, 'string'],
  }),
  [CommandType.LOOKUP_RESPONSE]: message('CommandLookupTopicResponse', {
    brokerServiceUrl: [1, 'string'],
    brokerServiceUrlTls: [2, 'string'],
    response: [3, 'enum'],
    requestId: [4, 'uint64', 'req'],
    authoritative: [5, 'bool'],
    error: [6, 'enum'],
    message: [7, 'string'],
    proxyThroughServiceUrl: [8, 'bool'],
  }),
  [CommandType.REACHED_END_OF_TOPIC]: message('CommandReachedEndOfTopic', {
    consumerId: [1, 'uint64', 'req'],
  }),
  [CommandType.SEEK]: message('CommandSeek', {
    consumerId: [1, 'uint64', 'req'],
    requestId: [2, 'uint64', 'req'],
    messageId: [3, MessageIdDataSchema],
    messagePublishTime: [4, 'uint64'],
  }),
  [CommandType.GET_LAST_MESSAGE_ID]: message('CommandGetLastMessageId', {
    consumerId: [1, 'uint64', 'req'],
    requestId: [2, 'uint64', 'req'],
  }),
  [CommandType.GET_LAST_MESSAGE_ID_RESPONSE]: message('CommandGetLastMessageIdResponse', {
    lastMessageId: [1, MessageIdDataSchema, 'req'],
    requestId: [2, 'uint64', 'req'],
    consumerMarkDeletePosition: [3, MessageIdDataSchema],
  }),
  [CommandType.ACTIVE_CONSUMER_CHANGE]: message('CommandActiveConsumerChange', {
    consumerId: [1, 'uint64', 'req'],
    isActive: [2, 'bool'],
  }),
  [CommandType.GET_TOPICS_OF_NAMESPACE]: message('CommandGetTopicsOfNamespace', {
    requestId: [1, 'uint64', 'req'],
    namespace: [2, 'string', 'req'],
    mode: [3, 'enum'],
    topicsPattern: [4, 'string'],
    topicsHash: [5, 'string'],
  }),
  [CommandType.GET_TOPICS_OF_NAMESPACE_RESPONSE]: message('CommandGetTopicsOfNamespaceResponse', {
    requestId: [1, 'uint64', 'req'],
    topics: [2, 'string', 'rep'],
    filtered: [3, 'bool'],
    topicsHash: [4, 'string'],
    changed: [5, 'bool'],
  }),
  [CommandType.AUTH_CHALLENGE]: message('CommandAuthChallenge', {
    serverVersion: [1, 'string'],
    challenge: [2, AuthDataSchema],
    protocolVersion: [3, 'int32'],
  }),
  [CommandType.AUTH_RESPONSE]: message('CommandAuthResponse', {
    clientVersion: [1, 'string'],
    response: [2, AuthDataSchema],
    protocolVersion: [3, 'int32'],
  }),
  [CommandType.ACK_RESPONSE]: message('CommandAckResponse', {
    consumerId: [1, 'uint64', 'req'],
    error: [4, 'enum'],
    message: [5, 'string'],
    requestId: [6, 'uint64'],
  }),
  [CommandType.TOPIC_MIGRATED]: message('CommandTopicMigrated', {
    resourceId: [1, 'uint64', 'req'],
    resourceType: [2, 'enum', 'req'],
    brokerServiceUrl: [3, 'string'],
    brokerServiceUrlTls: [4, 'string'],
  }),
} as const;

/** Writes a BaseCommand (type + its one sub-command) into `w`. */
export function encodeBaseCommand(cmd: BaseCommand, w: ProtoWriter): void {
  const schema = SCHEMAS[cmd.type];
  w.tag(1, 0).uint32(cmd.type);
  w.tag(cmd.type, 2);
  const start = w.fork();
  encodeMessage(schema, cmd.body, w);
  w.ldelim(start);
}

/**
 * Reads a BaseCommand from `[r.pos, end)`. Commands of a type we do not know decode as `undefined`, so
 * the connection can ignore them instead of failing.
 */
export function decodeBaseCommand(r: ProtoReader, end: number): BaseCommand | undefined {
  let type = -1;
  let bodyStart = -1;
  let bodyEnd = -1;
  let bodyField = -1;
  while (r.pos < end) {
    const key = r.tag();
    const no = key >>> 3;
    const wt = key & 7;
    if (no === 1 && wt === 0) type = r.uint32();
    else if (wt === 2) {
      const e = r.nestedEnd();
      bodyField = no;
      bodyStart = r.pos;
      bodyEnd = e;
      r.pos = e;
    } else r.skip(wt);
  }
  if (type < 0) throw new RangeError('BaseCommand without type');
  const schema = (SCHEMAS as Record<number, (typeof SCHEMAS)[keyof typeof SCHEMAS] | undefined>)[type];
  if (schema === undefined) return undefined;
  if (bodyField !== type) {
    // PING/PONG and friends may arrive with an empty body; anything else is malformed.
    return { type, body: {} } as BaseCommand;
  }
  r.pos = bodyStart;
  const body = decodeMessage(schema, r, bodyEnd);
  r.pos = end;
  return { type, body } as BaseCommand;
}
