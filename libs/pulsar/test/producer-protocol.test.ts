/**
 * Producer behaviours that need a broker misbehaving on cue (see fake-broker.ts): out-of-order receipts,
 * CLOSE_PRODUCER racing with PRODUCER_SUCCESS, and the exact frames re-sent after a reconnect.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeCommandFrame, parsePayloadSection } from '../src/frame';
import type { Frame } from '../src/frame';
import { PulsarClient } from '../src/index';
import type { PulsarClientOptions } from '../src/index';
import type { ConnectionPool } from '../src/connection-pool';
import { WRITE_BACKLOG_LIMIT_BYTES } from '../src/connection';
import type { BaseCommand, CommandSend } from '../src/proto/commands';
import { readSingleMessageMetadata } from '../src/proto/metadata';
import { ProtoReader } from '../src/proto/wire';
import { CommandType } from '../src/proto/commands';
import { FakeBroker, answerLookup } from './fake-broker';
import type { Handler } from './fake-broker';

const brokers: FakeBroker[] = [];
const clients: PulsarClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.destroy()));
  await Promise.all(brokers.splice(0).map((b) => b.stop()));
});

/** A fake broker that does lookup and producer creation, delegating SEND to `onSend`. */
async function producerBroker(
  onSend: (send: CommandSend, reply: (c: BaseCommand) => void, frame: Frame) => void,
  onProducer?: Handler,
): Promise<FakeBroker> {
  const b: FakeBroker = await new FakeBroker((cmd, reply, socket, frame) => {
    if (answerLookup(cmd, reply, b.url)) return;
    switch (cmd.type) {
      case CommandType.PRODUCER:
        if (onProducer) onProducer(cmd, reply, socket, frame);
        else
          reply({
            type: CommandType.PRODUCER_SUCCESS,
            body: { requestId: cmd.body.requestId, producerName: 'fake-1', lastSequenceId: 41 },
          });
        return;
      case CommandType.CLOSE_PRODUCER:
        reply({ type: CommandType.SUCCESS, body: { requestId: cmd.body.requestId } });
        return;
      case CommandType.SEND:
        onSend(cmd.body, reply, frame);
        return;
    }
  }).start();
  brokers.push(b);
  return b;
}

function receipt(send: CommandSend, entryId: number): BaseCommand {
  return {
    type: CommandType.SEND_RECEIPT,
    body: { producerId: send.producerId, sequenceId: send.sequenceId, messageId: { ledgerId: 1, entryId } },
  };
}

function client(url: string, options: Partial<PulsarClientOptions> = {}): PulsarClient {
  const c = new PulsarClient({ serviceUrl: url, operationTimeoutMs: 5_000, ...options });
  clients.push(c);
  return c;
}

describe('producer protocol handling', () => {
  it('starts sequence ids after PRODUCER_SUCCESS.last_sequence_id', async () => {
    const sends: CommandSend[] = [];
    const b = await producerBroker((send, reply) => {
      sends.push(send);
      reply(receipt(send, sends.length));
    });
    const p = await client(b.url).createProducer({ topic: 't', batching: { enabled: false } });
    expect(p.producerName).toBe('fake-1');
    await p.send({ payload: 'a' });
    await p.send({ payload: 'b' });
    expect(sends.map((s) => s.sequenceId)).toEqual([42, 43]);
  });

  it('on a receipt ahead of the queue, reconnects and re-sends everything pending in order', async () => {
    const sends: number[] = [];
    let connection = 0;
    const b = await producerBroker((send, reply) => {
      sends.push(send.sequenceId);
      // First connection: acknowledge 43 before 42 (a lost receipt). Afterwards behave.
      if (connection === 1) {
        if (send.sequenceId === 43) reply(receipt(send, 1));
      } else reply(receipt(send, 10 + send.sequenceId));
    });
    b.onConnect = () => connection++;
    const p = await client(b.url).createProducer({ topic: 't', batching: { enabled: false } });
    const ids = await Promise.all([
      p.send({ payload: 'a' }),
      p.send({ payload: 'b' }),
      p.send({ payload: 'c' }),
    ]);
    expect(connection).toBe(2);
    expect(sends).toEqual([42, 43, 44, 42, 43, 44]);
    expect(ids.map((id) => id.entryId)).toEqual([52, 53, 54]);
  });

  it('re-registers when CLOSE_PRODUCER races with PRODUCER_SUCCESS', async () => {
    let producers = 0;
    const b = await producerBroker(
      (send, reply) => reply(receipt(send, 1)),
      (cmd, _reply, socket) => {
        if (cmd.type !== CommandType.PRODUCER) return;
        producers++;
        const ok = encodeCommandFrame({
          type: CommandType.PRODUCER_SUCCESS,
          body: { requestId: cmd.body.requestId, producerName: 'fake-1' },
        });
        if (producers === 1) {
          // Both in one TCP write: the client sees them in the same data event.
          const close = encodeCommandFrame({
            type: CommandType.CLOSE_PRODUCER,
            body: { producerId: cmd.body.producerId, requestId: 1000 },
          });
          socket.write(Buffer.concat([ok, close]));
        } else socket.write(ok);
      },
    );
    const p = await client(b.url).createProducer({ topic: 't', batching: { enabled: false } });
    await p.send({ payload: 'x' });
    expect(producers).toBe(2);
  });

  it('reconnects and re-sends after SEND_ERROR for a transient error', async () => {
    let failed = false;
    const b = await producerBroker((send, reply) => {
      if (!failed) {
        failed = true;
        reply({
          type: CommandType.SEND_ERROR,
          body: {
            producerId: send.producerId,
            sequenceId: send.sequenceId,
            error: 2,
            message: 'bookie down',
          },
        });
        return;
      }
      reply(receipt(send, 7));
    });
    const p = await client(b.url).createProducer({ topic: 't', batching: { enabled: false } });
    const id = await p.send({ payload: 'x' });
    expect(id.entryId).toBe(7);
    expect(b.count(CommandType.PRODUCER)).toBe(2);
  });

  it('fails pending sends for good when the topic is terminated', async () => {
    const b = await producerBroker((send, reply) =>
      reply({
        type: CommandType.SEND_ERROR,
        body: { producerId: send.producerId, sequenceId: send.sequenceId, error: 15, message: 'terminated' },
      }),
    );
    const p = await client(b.url).createProducer({ topic: 't', batching: { enabled: false } });
    await expect(p.send({ payload: 'x' })).rejects.toMatchObject({ code: 'PULSAR_TOPIC_TERMINATED' });
    await expect(p.send({ payload: 'y' })).rejects.toMatchObject({ code: 'PULSAR_TOPIC_TERMINATED' });
  });

  it('sends the bytes given to send(), even when the application reuses its buffer at once', async () => {
    const received: { payload: string; checksumValid: boolean }[] = [];
    const b = await producerBroker((send, reply, frame) => {
      const { payload, checksumValid } = parsePayloadSection(frame.data, frame.payloadStart);
      received.push({ payload: payload.toString(), checksumValid });
      reply(receipt(send, received.length));
    });
    for (const batching of [
      { enabled: false },
      { enabled: true, maxDelayMs: 20 },
      { enabled: true, maxDelayMs: 20, keyBased: true },
    ]) {
      received.length = 0;
      const p = await client(b.url).createProducer({ topic: 't', batching });
      const buffer = Buffer.from('original');
      const sent = p.send({ payload: buffer });
      buffer.write('CLOBBER!'); // same length: a reused buffer
      await sent;
      expect(received, JSON.stringify(batching)).toHaveLength(1);
      expect(received[0]!.checksumValid).toBe(true);
      expect(received[0]!.payload).toContain('original');
      expect(received[0]!.payload).not.toContain('CLOBBER');
    }
  });

  it('key-based batching: interleaved keys make one entry per key, ids rising on the wire, re-sent unchanged', async () => {
    interface Entry {
      connection: number;
      bytes: Buffer;
      sequenceId: number;
      highestSequenceId: number | undefined;
      key: string | undefined;
      recordIds: (number | undefined)[];
    }
    const entries: Entry[] = [];
    let connection = 0;
    const total = 60;
    const b: FakeBroker = await new FakeBroker((cmd, reply, socket, frame) => {
      if (answerLookup(cmd, reply, b.url)) return;
      if (cmd.type === CommandType.PRODUCER) {
        reply({
          type: CommandType.PRODUCER_SUCCESS,
          body: { requestId: cmd.body.requestId, producerName: 'fake-1', lastSequenceId: 41 },
        });
      } else if (cmd.type === CommandType.SEND) {
        const { metadata, payload } = parsePayloadSection(frame.data, frame.payloadStart);
        const recordIds = [];
        for (let pos = 0; pos < payload.length;) {
          const size = payload.readUInt32BE(pos);
          const end = pos + 4 + size;
          const smm = readSingleMessageMetadata(new ProtoReader(payload, pos + 4, end), end);
          recordIds.push(smm.sequenceId);
          pos = end + smm.payloadSize;
        }
        entries.push({
          connection,
          bytes: Buffer.from(frame.data),
          sequenceId: cmd.body.sequenceId,
          highestSequenceId: cmd.body.highestSequenceId,
          key: metadata.partitionKey,
          recordIds,
        });
        const first = entries.filter((e) => e.connection === 1);
        if (connection === 1) {
          // Persist nothing on the first connection; drop it once everything has arrived.
          if (first.reduce((n, e) => n + e.recordIds.length, 0) === total) socket.destroy();
        } else reply(receipt(cmd.body, 100 + entries.length));
      }
    }).start();
    brokers.push(b);
    b.onConnect = () => connection++;
    const p = await client(b.url).createProducer({
      topic: 't',
      batching: { enabled: true, keyBased: true, maxDelayMs: 20 },
    });
    const sends = Array.from({ length: total }, (_, i) => p.send({ payload: String(i), key: `k${i % 3}` }));
    const ids = await Promise.all(sends);

    const first = entries.filter((e) => e.connection === 1);
    expect(first.map((e) => e.key)).toEqual(['k0', 'k1', 'k2']);
    expect(first.map((e) => [e.sequenceId, e.highestSequenceId])).toEqual([
      [42, 61],
      [62, 81],
      [82, 101],
    ]);
    expect(first.flatMap((e) => e.recordIds)).toEqual(Array.from({ length: total }, (_, i) => 42 + i));
    // After the reconnect: the same frames, in the same order.
    const second = entries.filter((e) => e.connection === 2);
    expect(second.map((e) => e.bytes)).toEqual(first.map((e) => e.bytes));
    // Each message resolves with its key's entry and its place in it.
    expect(ids[4]).toMatchObject({ entryId: 105, batchIndex: 1 }); // k1, second of its key
    expect(ids[59]).toMatchObject({ entryId: 106, batchIndex: 19 });
  });

  it('key-based batching: a message with an explicit sequence id flushes the open batches and goes alone', async () => {
    const sends: { seq: number; batch: number | undefined }[] = [];
    const b = await producerBroker((send, reply, frame) => {
      const { metadata } = parsePayloadSection(frame.data, frame.payloadStart);
      sends.push({ seq: send.sequenceId, batch: metadata.numMessagesInBatch });
      reply(receipt(send, sends.length));
    });
    const p = await client(b.url).createProducer({
      topic: 't',
      batching: { enabled: true, keyBased: true, maxDelayMs: 1000 },
    });
    const a = p.send({ payload: 'a', key: 'x' });
    const bb = p.send({ payload: 'b', key: 'y' });
    const c = p.send({ payload: 'c', key: 'x', sequenceId: 500 });
    await Promise.all([a, bb, c]);
    expect(sends).toEqual([
      { seq: 42, batch: 1 },
      { seq: 43, batch: 1 },
      { seq: 500, batch: undefined },
    ]);
  });

  it("never sends a frame above the broker's max message size, compressed or batched", async () => {
    const frames: { payloadBytes: number; messages: number }[] = [];
    const b = await producerBroker((send, reply, frame) => {
      frames.push({
        payloadBytes: parsePayloadSection(frame.data, frame.payloadStart).payload.length,
        messages: send.numMessages ?? 1,
      });
      reply(receipt(send, frames.length));
    });
    b.maxMessageSize = 1024;
    const c = client(b.url);
    // Random bytes do not compress: 4 KiB stays about 4 KiB.
    const compressed = await c.createProducer({
      topic: 't',
      compression: 'lz4',
      batching: { enabled: false },
    });
    await expect(compressed.send({ payload: randomBytes(4096) })).rejects.toMatchObject({
      code: 'PULSAR_MESSAGE_TOO_LARGE',
    });
    // ... and what does fit still goes, on the same connection.
    await compressed.send({ payload: Buffer.alloc(4096) }); // zeros compress well
    expect(frames).toHaveLength(1);

    // The batch limit (128 KiB by default) is capped at the broker's 1 KiB.
    frames.length = 0;
    const batched = await c.createProducer({ topic: 't', batching: { enabled: true, maxDelayMs: 50 } });
    await Promise.all(Array.from({ length: 10 }, () => batched.send({ payload: randomBytes(300) })));
    expect(frames.reduce((n, f) => n + f.messages, 0)).toBe(10);
    expect(frames.length).toBeGreaterThan(3);
    for (const f of frames) expect(f.payloadBytes).toBeLessThanOrEqual(1024);
  });

  it('splits a message into chunk frames within the limit, all with its sequence id, when chunking', async () => {
    const frames: { send: CommandSend; frame: Frame; bytes: number }[] = [];
    const b = await producerBroker((send, reply, frame) => {
      frames.push({ send, frame, bytes: frame.data.length });
      reply(receipt(send, frames.length));
    });
    b.maxMessageSize = 4096;
    const p = await client(b.url).createProducer({
      topic: 't',
      chunking: true,
      batching: { enabled: false },
    });
    const payload = randomBytes(10_000);
    const id = await p.send({ payload, key: 'k', properties: { a: 'b' } });
    expect(frames.length).toBe(3);
    const parts = frames.map((f) => parsePayloadSection(f.frame.data, f.frame.payloadStart));
    for (const [i, f] of frames.entries()) {
      // The whole frame, header included, stays within the broker's limit.
      expect(f.bytes).toBeLessThanOrEqual(4096);
      expect(f.send).toMatchObject({ sequenceId: 42, isChunk: true });
      expect(parts[i]!.metadata).toMatchObject({
        uuid: 'fake-1-42',
        chunkId: i,
        numChunksFromMsg: 3,
        totalChunkMsgSize: 10_000,
        partitionKey: 'k',
        properties: { a: 'b' },
      });
    }
    expect(Buffer.concat(parts.map((x) => x.payload))).toEqual(payload);
    // The id names the last chunk's entry and lists the others (what acking the message must cover).
    expect(id.entryId).toBe(3);
    expect(id.chunkEntries).toEqual([
      { ledgerId: 1, entryId: 1 },
      { ledgerId: 1, entryId: 2 },
    ]);
  });

  it('fails waiting messages when the backlog quota refuses the producer at reconnect', async () => {
    // The first registration succeeds; the SEND goes unanswered and the connection drops; from then on
    // the broker refuses the producer because the topic's backlog quota is exceeded.
    let registrations = 0;
    const b = await producerBroker(
      (_send, _reply) => {
        b.broadcast({ type: CommandType.CLOSE_PRODUCER, body: { producerId: 0, requestId: 999 } });
      },
      (cmd, reply) => {
        if (cmd.type !== CommandType.PRODUCER) return;
        if (registrations++ === 0) {
          reply({
            type: CommandType.PRODUCER_SUCCESS,
            body: { requestId: cmd.body.requestId, producerName: 'fake-1', lastSequenceId: -1 },
          });
        } else {
          reply({
            type: CommandType.ERROR,
            body: { requestId: cmd.body.requestId, error: 7, message: 'backlog quota exceeded' },
          });
        }
      },
    );
    // No send timeout: without the fix this send would wait forever.
    const p = await client(b.url).createProducer({
      topic: 't',
      batching: { enabled: false },
      sendTimeoutMs: 0,
    });
    await expect(p.send({ payload: 'x' })).rejects.toMatchObject({ code: 'PULSAR_PRODUCER_QUOTA_EXCEEDED' });
    expect(registrations).toBeGreaterThanOrEqual(2);
  });

  it("goes straight to the broker a CLOSE_PRODUCER names as the topic's new owner", async () => {
    const moved = await producerBroker((send, reply) => reply(receipt(send, 2)));
    const original = await producerBroker((send, reply) => {
      reply(receipt(send, 1));
      // The load manager hands the topic to another broker and says which.
      original.broadcast({
        type: CommandType.CLOSE_PRODUCER,
        body: { producerId: send.producerId, requestId: 999, assignedBrokerServiceUrl: moved.url },
      });
    });
    const p = await client(original.url).createProducer({ topic: 't', batching: { enabled: false } });
    expect((await p.send({ payload: 'a' })).entryId).toBe(1);
    await new Promise((r) => setTimeout(r, 50));
    expect((await p.send({ payload: 'b' })).entryId).toBe(2);
    expect(moved.count(CommandType.PRODUCER)).toBe(1);
    // No lookup was needed for the move: one for the first registration, on the original broker.
    expect(original.count(CommandType.LOOKUP) + moved.count(CommandType.LOOKUP)).toBe(1);
  });
});

/** Settles `p` into what a test can compare: 'resolved', the error code, or 'pending' if still open. */
async function outcome(p: Promise<unknown>): Promise<string> {
  return Promise.race([
    p.then(
      () => 'resolved',
      (e: { code?: string }) => e.code ?? 'error',
    ),
    new Promise<string>((r) => setTimeout(() => r('pending'), 100)),
  ]);
}

describe('producer backpressure', () => {
  it("holds sends of every producer of a client once the client's memory limit is used up", async () => {
    const held: { send: CommandSend; reply: (c: BaseCommand) => void }[] = [];
    let sentBytes = 0;
    const b = await producerBroker((send, reply, frame) => {
      sentBytes += parsePayloadSection(frame.data, frame.payloadStart).payload.length;
      held.push({ send, reply });
    });
    const c = client(b.url, { memoryLimitBytes: 10 * 1024 });
    const options = { batching: { enabled: false }, maxPendingMessages: 1000 };
    const p1 = await c.createProducer({ topic: 'a', ...options });
    const p2 = await c.createProducer({ topic: 'b', ...options });
    const kib = Buffer.alloc(1024, 1);
    const first = Array.from({ length: 10 }, () => p1.send({ payload: kib }));
    const over = p1.send({ payload: kib });
    const other = p2.send({ payload: kib });
    await new Promise((r) => setTimeout(r, 100));
    // Ten KiB are out; the eleventh KiB waits, on either producer.
    expect(held).toHaveLength(10);
    expect(sentBytes).toBe(10 * 1024);
    expect(await outcome(over)).toBe('pending');
    expect(await outcome(other)).toBe('pending');
    // Receipts free the bytes: the waiting sends go out, in the order they waited.
    for (const [i, h] of held.splice(0).entries()) h.reply(receipt(h.send, i));
    await Promise.all(first);
    await new Promise((r) => setTimeout(r, 50));
    expect(held).toHaveLength(2);
    for (const [i, h] of held.entries()) h.reply(receipt(h.send, 10 + i));
    await expect(over).resolves.toBeDefined();
    await expect(other).resolves.toBeDefined();
  });

  it('fails at once with PULSAR_PRODUCER_QUEUE_FULL when told not to block, or when too many wait', async () => {
    const b = await producerBroker(() => {}); // never acknowledges
    const c = client(b.url);
    const noBlock = await c.createProducer({
      topic: 'a',
      batching: { enabled: false },
      maxPendingMessages: 1,
      blockIfQueueFull: false,
    });
    void noBlock.send({ payload: 'x' }).catch(() => {});
    await expect(noBlock.send({ payload: 'y' })).rejects.toMatchObject({
      code: 'PULSAR_PRODUCER_QUEUE_FULL',
    });

    const bounded = await c.createProducer({
      topic: 'b',
      batching: { enabled: false },
      maxPendingMessages: 1,
      maxWaitingSends: 1,
    });
    void bounded.send({ payload: 'x' }).catch(() => {});
    const waiting = bounded.send({ payload: 'y' });
    waiting.catch(() => {});
    await expect(bounded.send({ payload: 'z' })).rejects.toMatchObject({
      code: 'PULSAR_PRODUCER_QUEUE_FULL',
    });
    expect(await outcome(waiting)).toBe('pending');
  });

  it('times out a send still waiting for room, and never sends it afterwards', async () => {
    const sent: string[] = [];
    const b = await producerBroker((send, _reply, frame) => {
      sent.push(parsePayloadSection(frame.data, frame.payloadStart).payload.toString());
    });
    const p = await client(b.url).createProducer({
      topic: 't',
      batching: { enabled: false },
      maxPendingMessages: 1,
      sendTimeoutMs: 300,
    });
    const first = p.send({ payload: 'first' });
    const waiting = p.send({ payload: 'waiting' });
    await expect(first).rejects.toMatchObject({ code: 'PULSAR_SEND_TIMEOUT' });
    await expect(waiting).rejects.toMatchObject({ code: 'PULSAR_SEND_TIMEOUT' });
    await new Promise((r) => setTimeout(r, 100));
    // The caller was told it failed: had it been admitted later, the broker would get it anyway.
    expect(sent).toEqual(['first']);
  });

  it('stops writing while the broker does not read, and sends everything in order once it does', async () => {
    const sequenceIds: number[] = [];
    const b = await producerBroker((send, reply) => {
      sequenceIds.push(send.sequenceId);
      reply(receipt(send, sequenceIds.length));
    });
    const c = client(b.url, { memoryLimitBytes: 0 });
    const p = await c.createProducer({
      topic: 't',
      batching: { enabled: false },
      maxPendingMessages: 10_000,
      sendTimeoutMs: 0,
    });
    // The broker stops reading the producer's connection (a stalled broker or a slow link).
    const cnx = await (c as unknown as { pool: ConnectionPool }).pool.get(b.url);
    for (const s of b.sockets) s.pause();
    const payload = randomBytes(64 * 1024);
    const sends = Array.from({ length: 400 }, () => p.send({ payload })); // 25 MiB
    // Wait until the kernel's buffers are full and nothing more moves.
    let before = -1;
    while (cnx.bufferedBytes !== before) {
      before = cnx.bufferedBytes;
      await new Promise((r) => setTimeout(r, 100));
    }
    // What waits in this process's socket buffer is bounded; the rest stays queued in the producer.
    expect(cnx.bufferedBytes).toBeLessThan(WRITE_BACKLOG_LIMIT_BYTES + payload.length + 1024);
    for (const s of b.sockets) s.resume();
    await Promise.all(sends);
    expect(sequenceIds).toHaveLength(400);
    expect(sequenceIds).toEqual([...sequenceIds].sort((x, y) => x - y));
  });
});
