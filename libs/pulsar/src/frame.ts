/**
 * Pulsar framing (all integers big-endian):
 *
 *   simple:  [totalSize u32][commandSize u32][BaseCommand]
 *   payload: [totalSize u32][commandSize u32][BaseCommand]
 *            ([0x0e02][size u32][BrokerEntryMetadata])      broker → client, only when negotiated
 *            [0x0e01][crc32c u32][metadataSize u32][MessageMetadata][payload]
 *
 * `totalSize` counts every byte after itself; the CRC-32C covers everything after the checksum field.
 */
import { crc32c } from './crc32c';
import { PulsarError } from './errors';
import type { BaseCommand, CommandSend } from './proto/commands';
import { CommandType, decodeBaseCommand, encodeBaseCommand } from './proto/commands';
import type { MessageMetadata } from './proto/metadata';
import { readMessageMetadata, writeMessageMetadata } from './proto/metadata';
import { ProtoReader, ProtoWriter } from './proto/wire';

export const MAGIC_CRC32C = 0x0e01;
export const MAGIC_BROKER_ENTRY_METADATA = 0x0e02;
/** Broker default max message size; replaced by CONNECTED.max_message_size once known. */
export const DEFAULT_MAX_MESSAGE_SIZE = 5 * 1024 * 1024;
/** Headroom the Java and Go clients allow above max message size for command + metadata. */
export const FRAME_PADDING = 10 * 1024;

// One scratch writer per process: encoding is synchronous, so it is never shared across awaits.
const scratch = new ProtoWriter(64 * 1024);

/** Encodes a command without payload into a standalone frame. */
export function encodeCommandFrame(cmd: BaseCommand): Buffer {
  const w = scratch.reset();
  w.ensure(8);
  w.pos = 8;
  encodeBaseCommand(cmd, w);
  const cmdSize = w.pos - 8;
  w.buf.writeUInt32BE(cmdSize + 4, 0);
  w.buf.writeUInt32BE(cmdSize, 4);
  return w.finish();
}

/**
 * Encodes the SEND command header — everything of the frame except the payload bytes, which the caller
 * writes right after (keeping them as a separate buffer spares a copy of large payloads). The checksum
 * is computed over the metadata and then continued over `payload`.
 */
export function encodeSendFrameHeader(
  send: CommandSend,
  metadata: MessageMetadata,
  payload: Uint8Array,
): Buffer {
  const w = scratch.reset();
  w.ensure(8);
  w.pos = 8;
  // BaseCommand{type=SEND, send={...}} written by hand: this is the hottest encode path.
  w.tag(1, 0).uint32(CommandType.SEND);
  w.tag(CommandType.SEND, 2);
  const start = w.fork();
  w.tag(1, 0).uint64(send.producerId);
  w.tag(2, 0).uint64(send.sequenceId);
  if (send.numMessages !== undefined && send.numMessages !== 1) w.tag(3, 0).int32(send.numMessages);
  if (send.highestSequenceId !== undefined) w.tag(6, 0).uint64(send.highestSequenceId);
  if (send.isChunk) w.tag(7, 0).bool(true);
  if (send.marker) w.tag(8, 0).bool(true);
  w.ldelim(start);
  const cmdSize = w.pos - 8;
  // magic + checksum placeholder + metadata size placeholder
  w.ensure(10);
  const magicPos = w.pos;
  w.buf.writeUInt16BE(MAGIC_CRC32C, magicPos);
  const metaSizePos = magicPos + 6;
  w.pos = metaSizePos + 4;
  writeMessageMetadata(w, metadata);
  const metaSize = w.pos - metaSizePos - 4;
  w.buf.writeUInt32BE(metaSize, metaSizePos);
  let crc = crc32c(w.buf, 0, metaSizePos, w.pos);
  crc = crc32c(payload, crc);
  w.buf.writeUInt32BE(crc, magicPos + 2);
  const totalSize = w.pos - 4 + payload.length;
  w.buf.writeUInt32BE(totalSize, 0);
  w.buf.writeUInt32BE(cmdSize, 4);
  return w.finish();
}

/**
 * True when a SEND frame built by {@link encodeSendFrameHeader} still matches its CRC-32C: the bytes
 * after the checksum in `header` (metadata size and metadata) and then `payload`. A broker's checksum
 * SEND_ERROR for a frame that still matches means the damage happened on the way (re-send it); for one
 * that does not, the bytes changed in this process and re-sending cannot help.
 */
export function sendFrameChecksumValid(header: Buffer, payload: Uint8Array): boolean {
  const cmdSize = header.readUInt32BE(4);
  const magicPos = 8 + cmdSize;
  if (header.readUInt16BE(magicPos) !== MAGIC_CRC32C) return true; // no checksum to verify
  const expected = header.readUInt32BE(magicPos + 2);
  const crc = crc32c(payload, crc32c(header, 0, magicPos + 6, header.length));
  return crc === expected;
}

/** A parsed frame: its command and, for payload commands, where the payload section starts. */
export interface Frame {
  /** undefined for command types this client does not know (ignored). */
  command: BaseCommand | undefined;
  /** The frame bytes after `totalSize`. */
  data: Buffer;
  /** Offset in `data` of the payload section, or -1 for simple commands. */
  payloadStart: number;
}

/** Parses one frame's bytes (everything after `totalSize`). */
export function decodeFrame(data: Buffer): Frame {
  if (data.length < 4) throw new PulsarError('PULSAR_PROTOCOL', 'frame too short');
  const cmdSize = data.readUInt32BE(0);
  if (cmdSize + 4 > data.length) throw new PulsarError('PULSAR_PROTOCOL', 'command size exceeds frame');
  const r = new ProtoReader(data, 4, 4 + cmdSize);
  const command = decodeBaseCommand(r, 4 + cmdSize);
  return { command, data, payloadStart: 4 + cmdSize < data.length ? 4 + cmdSize : -1 };
}

/** The payload section of a MESSAGE frame. */
export interface ParsedPayload {
  metadata: MessageMetadata;
  /** The (possibly compressed, possibly batched) payload, a view into the frame. */
  payload: Buffer;
  /** False when the frame carried a CRC-32C that does not match. */
  checksumValid: boolean;
}

/** Parses `[brokerEntryMetadata][magic][crc][metadataSize][metadata][payload]` starting at `start`. */
export function parsePayloadSection(data: Buffer, start: number): ParsedPayload {
  let pos = start;
  const end = data.length;
  if (pos + 2 <= end && data.readUInt16BE(pos) === MAGIC_BROKER_ENTRY_METADATA) {
    if (pos + 6 > end) throw new PulsarError('PULSAR_PROTOCOL', 'truncated broker entry metadata');
    pos += 6 + data.readUInt32BE(pos + 2);
  }
  let checksumValid = true;
  if (pos + 2 <= end && data.readUInt16BE(pos) === MAGIC_CRC32C) {
    if (pos + 6 > end) throw new PulsarError('PULSAR_PROTOCOL', 'truncated checksum');
    const expected = data.readUInt32BE(pos + 2);
    pos += 6;
    checksumValid = crc32c(data, 0, pos, end) === expected;
  }
  if (pos + 4 > end) throw new PulsarError('PULSAR_PROTOCOL', 'truncated metadata size');
  const metaSize = data.readUInt32BE(pos);
  const metaStart = pos + 4;
  const metaEnd = metaStart + metaSize;
  if (metaEnd > end) throw new PulsarError('PULSAR_PROTOCOL', 'metadata size exceeds frame');
  const metadata = readMessageMetadata(new ProtoReader(data, metaStart, metaEnd), metaEnd);
  return { metadata, payload: data.subarray(metaEnd, end), checksumValid };
}

/**
 * Splits a TCP byte stream into frames. Whole frames inside one chunk are handed out as views into that
 * chunk (no copy); only frames split across chunks are assembled, once, when their last byte arrives.
 */
export class FrameDecoder {
  /** Max accepted `totalSize`; raised after CONNECTED tells us the broker's max message size. */
  maxFrameSize = DEFAULT_MAX_MESSAGE_SIZE + FRAME_PADDING;
  private parts: Buffer[] = [];
  private partsLen = 0;
  /** Bytes needed for the frame being assembled (including its 4-byte size), or -1 if unknown yet. */
  private need = -1;

  /** Feeds bytes; calls `onFrame` with each complete frame's bytes (after `totalSize`). */
  push(chunk: Buffer, onFrame: (data: Buffer) => void): void {
    let buf = chunk;
    if (this.partsLen > 0) {
      this.parts.push(chunk);
      this.partsLen += chunk.length;
      if (this.need < 0 && this.partsLen >= 4) this.need = this.readSize(Buffer.concat(this.parts, 4)) + 4;
      if (this.need < 0 || this.partsLen < this.need) return;
      buf = Buffer.concat(this.parts, this.partsLen);
      this.parts = [];
      this.partsLen = 0;
      this.need = -1;
    }
    let pos = 0;
    const len = buf.length;
    while (len - pos >= 4) {
      const size = this.readSize(buf.subarray(pos, pos + 4));
      if (len - pos - 4 < size) break;
      const frame = buf.subarray(pos + 4, pos + 4 + size);
      pos += 4 + size;
      onFrame(frame);
    }
    if (pos < len) {
      const rest = buf.subarray(pos);
      this.parts.push(rest);
      this.partsLen = rest.length;
      this.need = rest.length >= 4 ? this.readSize(rest) + 4 : -1;
    }
  }

  private readSize(b: Buffer): number {
    const size = b.readUInt32BE(0);
    if (size > this.maxFrameSize) {
      throw new PulsarError('PULSAR_PROTOCOL', `frame of ${size} bytes exceeds limit ${this.maxFrameSize}`);
    }
    return size;
  }
}
