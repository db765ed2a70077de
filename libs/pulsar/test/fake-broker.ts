/**
 * A scriptable in-process stand-in for a broker, for the few protocol behaviours a real standalone broker
 * cannot be made to show on demand (lookup redirects, silent peers, unanswered requests). Integration
 * behaviour is tested against the real broker (`*.broker.test.ts`).
 */
import net from 'node:net';
import { crc32c } from '../src/crc32c';
import { FrameDecoder, MAGIC_CRC32C, decodeFrame, encodeCommandFrame } from '../src/frame';
import type { Frame } from '../src/frame';
import type { BaseCommand } from '../src/proto/commands';
import { CommandType, LookupType } from '../src/proto/commands';
import type { MessageMetadata } from '../src/proto/metadata';
import { writeMessageMetadata } from '../src/proto/metadata';
import { ProtoWriter } from '../src/proto/wire';

/**
 * A MESSAGE frame as a broker sends it: the command, then magic, CRC-32C, metadata and payload.
 * `corruptChecksum` flips the checksum, as a damaged entry would arrive; `encrypted` adds an
 * `encryption_keys` entry, as an encrypting producer's messages carry.
 */
export function messageFrame(
  consumerId: number,
  id: { ledgerId: number; entryId: number },
  payload: Buffer,
  metadata: Partial<MessageMetadata> = {},
  { corruptChecksum = false, encrypted = false } = {},
): Buffer {
  const command = encodeCommandFrame({
    type: CommandType.MESSAGE,
    body: { consumerId, messageId: { ledgerId: id.ledgerId, entryId: id.entryId } },
  }).subarray(4);
  const w = new ProtoWriter(256);
  writeMessageMetadata(w, {
    producerName: 'fake',
    sequenceId: id.entryId,
    publishTime: Date.now(),
    ...metadata,
  });
  if (encrypted) {
    // field 13 (EncryptionKeys { key = "k"; value = "v" }), length-delimited
    w.tag(13, 2).bytes(Buffer.from([0x0a, 0x01, 0x6b, 0x12, 0x01, 0x76]));
  }
  const meta = w.finish();
  const head = Buffer.alloc(10);
  head.writeUInt16BE(MAGIC_CRC32C, 0);
  head.writeUInt32BE(meta.length, 6);
  // The checksum covers the metadata size, the metadata and the payload.
  const crc = crc32c(Buffer.concat([head.subarray(6), meta, payload]));
  head.writeUInt32BE(corruptChecksum ? crc ^ 1 : crc, 2);
  const body = Buffer.concat([command, head, meta, payload]);
  const size = Buffer.alloc(4);
  size.writeUInt32BE(body.length, 0);
  return Buffer.concat([size, body]);
}

/** `frame` is the whole frame as received, for commands with a payload (SEND). */
export type Handler = (
  cmd: BaseCommand,
  reply: (c: BaseCommand) => void,
  socket: net.Socket,
  frame: Frame,
) => void;

/**
 * Answers PARTITIONED_METADATA (`partitions` partitions, by default a non-partitioned topic) and LOOKUP
 * (the topic lives on `url`); true when `cmd` was one of them. Lets a test's handler deal only with what
 * it is about.
 */
export function answerLookup(
  cmd: BaseCommand,
  reply: (c: BaseCommand) => void,
  url: string,
  partitions = 0,
): boolean {
  if (cmd.type === CommandType.PARTITIONED_METADATA) {
    reply({
      type: CommandType.PARTITIONED_METADATA_RESPONSE,
      body: { requestId: cmd.body.requestId, partitions },
    });
    return true;
  }
  if (cmd.type === CommandType.LOOKUP) {
    reply({
      type: CommandType.LOOKUP_RESPONSE,
      body: { requestId: cmd.body.requestId, response: LookupType.Connect, brokerServiceUrl: url },
    });
    return true;
  }
  return false;
}

export class FakeBroker {
  readonly received: BaseCommand[] = [];
  private server = net.createServer((s) => this.onSocket(s));
  /** The open client connections (a test may pause one to play a broker that stops reading). */
  readonly sockets = new Set<net.Socket>();
  url = '';
  /** Answer PINGs (turn off to simulate a hung broker). */
  answerPings = true;
  /** Called for every client connection (before its CONNECT). */
  onConnect: (() => void) | undefined;
  /** CONNECTED.max_message_size. */
  maxMessageSize = 5 * 1024 * 1024;
  /** Answer CONNECT with this ERROR instead of CONNECTED. */
  rejectConnect: { error: number; message: string } | undefined;

  constructor(private readonly handler: Handler = () => {}) {}

  async start(): Promise<this> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `pulsar://127.0.0.1:${(this.server.address() as net.AddressInfo).port}`;
    return this;
  }

  private onSocket(s: net.Socket): void {
    this.sockets.add(s);
    this.onConnect?.();
    s.on('close', () => this.sockets.delete(s));
    s.on('error', () => {});
    const dec = new FrameDecoder();
    const reply = (c: BaseCommand) => s.write(encodeCommandFrame(c));
    s.on('data', (chunk: Buffer) =>
      dec.push(chunk, (data) => {
        const frame = decodeFrame(data);
        const cmd = frame.command;
        if (!cmd) return;
        this.received.push(cmd);
        if (cmd.type === CommandType.CONNECT) {
          if (this.rejectConnect) {
            reply({ type: CommandType.ERROR, body: { requestId: 0, ...this.rejectConnect } });
            s.end();
            return;
          }
          reply({
            type: CommandType.CONNECTED,
            body: { serverVersion: 'fake', protocolVersion: 20, maxMessageSize: this.maxMessageSize },
          });
          return;
        }
        if (cmd.type === CommandType.PING) {
          if (this.answerPings) reply({ type: CommandType.PONG, body: {} });
          return;
        }
        this.handler(cmd, reply, s, frame);
      }),
    );
  }

  /** Sends a command to every connected client. */
  broadcast(cmd: BaseCommand): void {
    for (const s of this.sockets) s.write(encodeCommandFrame(cmd));
  }

  count(type: number): number {
    return this.received.filter((c) => c.type === type).length;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}
