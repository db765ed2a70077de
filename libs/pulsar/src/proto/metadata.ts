/**
 * Hand-unrolled codecs for `MessageMetadata` and `SingleMessageMetadata`: they are encoded/decoded once
 * per message (or batch entry), so they skip the generic schema walker and read properties straight into
 * a plain record.
 */
import type { ProtoReader, ProtoWriter } from './wire';

/** The subset of `MessageMetadata` this client reads or writes. */
export interface MessageMetadata {
  producerName: string;
  sequenceId: number;
  publishTime: number;
  properties?: Record<string, string>;
  replicatedFrom?: string;
  partitionKey?: string;
  compression?: number;
  uncompressedSize?: number;
  /** Present only on batches; its presence is what marks a batch. */
  numMessagesInBatch?: number;
  eventTime?: number;
  /** True when `encryption_keys` are present (we cannot decrypt). */
  encrypted?: boolean;
  schemaVersion?: Uint8Array;
  partitionKeyB64Encoded?: boolean;
  orderingKey?: Uint8Array;
  deliverAtTime?: number;
  markerType?: number;
  highestSequenceId?: number;
  nullValue?: boolean;
  uuid?: string;
  numChunksFromMsg?: number;
  totalChunkMsgSize?: number;
  chunkId?: number;
  nullPartitionKey?: boolean;
}

/** The subset of `SingleMessageMetadata` (one message inside a batch). */
export interface SingleMessageMetadata {
  properties?: Record<string, string>;
  partitionKey?: string;
  payloadSize: number;
  compactedOut?: boolean;
  eventTime?: number;
  partitionKeyB64Encoded?: boolean;
  orderingKey?: Uint8Array;
  sequenceId?: number;
  nullValue?: boolean;
  nullPartitionKey?: boolean;
}

function writeProperties(w: ProtoWriter, field: number, props: Record<string, string>): void {
  for (const key in props) {
    const value = props[key];
    if (value === undefined) continue;
    w.tag(field, 2);
    const start = w.fork();
    w.tag(1, 2).string(key);
    w.tag(2, 2).string(value);
    w.ldelim(start);
  }
}

function readKeyValue(r: ProtoReader, into: Record<string, string>): void {
  const end = r.nestedEnd();
  let key = '';
  let value = '';
  while (r.pos < end) {
    const t = r.tag();
    if (t === ((1 << 3) | 2)) key = r.string();
    else if (t === ((2 << 3) | 2)) value = r.string();
    else r.skip(t & 7);
  }
  into[key] = value;
}

/** Encodes MessageMetadata fields into `w` (no length prefix). */
export function writeMessageMetadata(w: ProtoWriter, m: MessageMetadata): void {
  w.tag(1, 2).string(m.producerName);
  w.tag(2, 0).uint64(m.sequenceId);
  w.tag(3, 0).uint64(m.publishTime);
  if (m.properties) writeProperties(w, 4, m.properties);
  if (m.replicatedFrom !== undefined) w.tag(5, 2).string(m.replicatedFrom);
  if (m.partitionKey !== undefined) w.tag(6, 2).string(m.partitionKey);
  if (m.compression !== undefined && m.compression !== 0) w.tag(8, 0).uint32(m.compression);
  if (m.uncompressedSize !== undefined) w.tag(9, 0).uint32(m.uncompressedSize);
  if (m.numMessagesInBatch !== undefined) w.tag(11, 0).int32(m.numMessagesInBatch);
  if (m.eventTime !== undefined && m.eventTime !== 0) w.tag(12, 0).uint64(m.eventTime);
  if (m.schemaVersion !== undefined) w.tag(16, 2).bytes(m.schemaVersion);
  if (m.partitionKeyB64Encoded) w.tag(17, 0).bool(true);
  if (m.orderingKey !== undefined) w.tag(18, 2).bytes(m.orderingKey);
  if (m.deliverAtTime !== undefined) w.tag(19, 0).int64(m.deliverAtTime);
  if (m.markerType !== undefined) w.tag(20, 0).int32(m.markerType);
  if (m.highestSequenceId !== undefined) w.tag(24, 0).uint64(m.highestSequenceId);
  if (m.nullValue) w.tag(25, 0).bool(true);
  if (m.uuid !== undefined) w.tag(26, 2).string(m.uuid);
  if (m.numChunksFromMsg !== undefined) w.tag(27, 0).int32(m.numChunksFromMsg);
  if (m.totalChunkMsgSize !== undefined) w.tag(28, 0).int32(m.totalChunkMsgSize);
  if (m.chunkId !== undefined) w.tag(29, 0).int32(m.chunkId);
  if (m.nullPartitionKey) w.tag(30, 0).bool(true);
}

/** Decodes MessageMetadata from `[r.pos, end)`. */
export function readMessageMetadata(r: ProtoReader, end: number): MessageMetadata {
  const m: MessageMetadata = { producerName: '', sequenceId: 0, publishTime: 0 };
  while (r.pos < end) {
    const t = r.tag();
    switch (t >>> 3) {
      case 1:
        m.producerName = r.string();
        break;
      case 2:
        m.sequenceId = r.uint64();
        break;
      case 3:
        m.publishTime = r.uint64();
        break;
      case 4:
        readKeyValue(r, (m.properties ??= {}));
        break;
      case 5:
        m.replicatedFrom = r.string();
        break;
      case 6:
        m.partitionKey = r.string();
        break;
      case 8:
        m.compression = r.uint32();
        break;
      case 9:
        m.uncompressedSize = r.uint32();
        break;
      case 11:
        m.numMessagesInBatch = r.int32();
        break;
      case 12:
        m.eventTime = r.uint64();
        break;
      case 13:
        m.encrypted = true;
        r.skip(t & 7);
        break;
      case 16:
        m.schemaVersion = r.bytes();
        break;
      case 17:
        m.partitionKeyB64Encoded = r.bool();
        break;
      case 18:
        m.orderingKey = r.bytes();
        break;
      case 19:
        m.deliverAtTime = r.int64();
        break;
      case 20:
        m.markerType = r.int32();
        break;
      case 24:
        m.highestSequenceId = r.uint64();
        break;
      case 25:
        m.nullValue = r.bool();
        break;
      case 26:
        m.uuid = r.string();
        break;
      case 27:
        m.numChunksFromMsg = r.int32();
        break;
      case 28:
        m.totalChunkMsgSize = r.int32();
        break;
      case 29:
        m.chunkId = r.int32();
        break;
      case 30:
        m.nullPartitionKey = r.bool();
        break;
      default:
        r.skip(t & 7);
    }
  }
  return m;
}

/** Encodes SingleMessageMetadata fields into `w` (no length prefix). */
export function writeSingleMessageMetadata(w: ProtoWriter, s: SingleMessageMetadata): void {
  if (s.properties) writeProperties(w, 1, s.properties);
  if (s.partitionKey !== undefined) w.tag(2, 2).string(s.partitionKey);
  w.tag(3, 0).int32(s.payloadSize);
  if (s.compactedOut) w.tag(4, 0).bool(true);
  if (s.eventTime !== undefined && s.eventTime !== 0) w.tag(5, 0).uint64(s.eventTime);
  if (s.partitionKeyB64Encoded) w.tag(6, 0).bool(true);
  if (s.orderingKey !== undefined) w.tag(7, 2).bytes(s.orderingKey);
  if (s.sequenceId !== undefined) w.tag(8, 0).uint64(s.sequenceId);
  if (s.nullValue) w.tag(9, 0).bool(true);
  if (s.nullPartitionKey) w.tag(10, 0).bool(true);
}

/** Decodes SingleMessageMetadata from `[r.pos, end)`. */
export function readSingleMessageMetadata(r: ProtoReader, end: number): SingleMessageMetadata {
  const s: SingleMessageMetadata = { payloadSize: 0 };
  while (r.pos < end) {
    const t = r.tag();
    switch (t >>> 3) {
      case 1:
        readKeyValue(r, (s.properties ??= {}));
        break;
      case 2:
        s.partitionKey = r.string();
        break;
      case 3:
        s.payloadSize = r.int32();
        break;
      case 4:
        s.compactedOut = r.bool();
        break;
      case 5:
        s.eventTime = r.uint64();
        break;
      case 6:
        s.partitionKeyB64Encoded = r.bool();
        break;
      case 7:
        s.orderingKey = r.bytes();
        break;
      case 8:
        s.sequenceId = r.uint64();
        break;
      case 9:
        s.nullValue = r.bool();
        break;
      case 10:
        s.nullPartitionKey = r.bool();
        break;
      default:
        r.skip(t & 7);
    }
  }
  return s;
}
