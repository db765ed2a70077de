/**
 * Consumer protocol paths a real broker cannot be made to show on demand: the order of commands after a
 * reconnect, an unanswered SUBSCRIBE.
 */
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { BaseCommand } from '../src/proto/commands';
import { CommandType, ValidationError } from '../src/proto/commands';
import { encodeCommandFrame } from '../src/frame';
import { PulsarClient } from '../src/index';
import { FakeBroker, answerLookup, messageFrame } from './fake-broker';
import { writeSingleMessageMetadata } from '../src/proto/metadata';
import { ProtoWriter } from '../src/proto/wire';

/** A batch entry's payload: each message as [size of its metadata][SingleMessageMetadata][body]. */
function batchPayload(bodies: string[]): Buffer {
  return Buffer.concat(
    bodies.flatMap((body) => {
      const w = new ProtoWriter(32);
      writeSingleMessageMetadata(w, { payloadSize: Buffer.byteLength(body) });
      const smm = w.finish();
      const size = Buffer.alloc(4);
      size.writeUInt32BE(smm.length, 0);
      return [size, smm, Buffer.from(body)];
    }),
  );
}

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

/**
 * A broker that answers lookups with itself and SUBSCRIBE with SUCCESS (unless `answerSubscribe` says
 * otherwise). Every command it receives is kept, per connection, in `byConnection`.
 */
async function consumerBroker(answerSubscribe: (n: number) => boolean = () => true, partitions = 0) {
  let subscribes = 0;
  const byConnection = new Map<Socket, BaseCommand[]>();
  const b: FakeBroker = await new FakeBroker((cmd, reply, socket) => {
    if (!byConnection.has(socket)) byConnection.set(socket, []);
    byConnection.get(socket)!.push(cmd);
    if (answerLookup(cmd, reply, b.url, partitions)) return;
    if (cmd.type === CommandType.SUBSCRIBE) {
      if (answerSubscribe(++subscribes))
        reply({ type: CommandType.SUCCESS, body: { requestId: cmd.body.requestId } });
    } else if (cmd.type === CommandType.CLOSE_CONSUMER) {
      reply({ type: CommandType.SUCCESS, body: { requestId: cmd.body.requestId } });
    }
  }).start();
  cleanup.push(() => b.stop());
  return { b, byConnection };
}

function client(url: string, operationTimeoutMs = 5_000): PulsarClient {
  const c = new PulsarClient({ serviceUrl: url, operationTimeoutMs });
  cleanup.push(() => c.close());
  return c;
}

async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('consumer protocol', () => {
  it('does not take an empty ledger after everything was consumed for a stalled failover handover', async () => {
    // After an unload the topic gets a new, empty ledger: the broker reports its last entry as −1, which
    // arrives as the uint64 2^64 − 1. Read as a huge entry id, it looks like a backlog nobody delivers.
    const noEntry = (2n ** 64n - 1n) as unknown as number;
    let subscribes = 0;
    const b: FakeBroker = await new FakeBroker((cmd, reply, socket) => {
      if (answerLookup(cmd, reply, b.url)) return;
      if (cmd.type === CommandType.SUBSCRIBE) {
        subscribes++;
        reply({ type: CommandType.SUCCESS, body: { requestId: cmd.body.requestId } });
        socket.write(
          encodeCommandFrame({
            type: CommandType.ACTIVE_CONSUMER_CHANGE,
            body: { consumerId: cmd.body.consumerId, isActive: true },
          }),
        );
      } else if (cmd.type === CommandType.GET_LAST_MESSAGE_ID) {
        reply({
          type: CommandType.GET_LAST_MESSAGE_ID_RESPONSE,
          body: {
            requestId: cmd.body.requestId,
            lastMessageId: { ledgerId: 8, entryId: noEntry },
            consumerMarkDeletePosition: { ledgerId: 7, entryId: 41 },
          },
        });
      } else if (cmd.type === CommandType.CLOSE_CONSUMER) {
        reply({ type: CommandType.SUCCESS, body: { requestId: cmd.body.requestId } });
      }
    }).start();
    cleanup.push(() => b.stop());
    await client(b.url).subscribe({
      topic: 'persistent://t/n/idle',
      subscription: 's',
      type: 'Failover',
      failoverStallCheckMs: 50,
    });
    await until(() => b.count(CommandType.GET_LAST_MESSAGE_ID) >= 1, 'the handover check');
    await new Promise((r) => setTimeout(r, 300));
    // Nothing to rewind: no redelivery request, no reconnect.
    expect(b.count(CommandType.REDELIVER_UNACKNOWLEDGED_MESSAGES)).toBe(0);
    expect(subscribes).toBe(1);
  });
  it('gives the broker back every permit after a reconnect redelivers a partly acked batch', async () => {
    const { b, byConnection } = await consumerBroker();
    const consumer = await client(b.url).subscribe({
      topic: 'persistent://t/n/permits',
      subscription: 's',
      type: 'Shared',
      receiverQueueSize: 4,
      ackGroupingMs: 0,
    });
    const session = (k: number) => [...byConnection.entries()][k]!;
    const consumerId = session(0)[1].find((c) => c.type === CommandType.SUBSCRIBE)!.body.consumerId;
    const batch = (socket: Socket) =>
      socket.write(
        messageFrame(consumerId, { ledgerId: 5, entryId: 1 }, batchPayload(['m0', 'm1', 'm2', 'm3']), {
          numMessagesInBatch: 4,
        }),
      );
    batch(session(0)[0]);
    for (let i = 0; i < 2; i++) await consumer.ack(await consumer.receive(5_000));
    // m2 and m3 are still queued locally when the connection drops.
    session(0)[0].destroy();
    await until(
      () => byConnection.size === 2 && session(1)[1].some((c) => c.type === CommandType.FLOW),
      'the new session',
    );
    // The broker redelivers the whole entry: m0 and m1 are skipped (acked), m2 and m3 handed out again.
    batch(session(1)[0]);
    const again = [await consumer.receive(5_000), await consumer.receive(5_000)];
    expect(again.map((m) => m.payload.toString())).toEqual(['m2', 'm3']);
    const granted = () =>
      session(1)[1]
        .filter((c) => c.type === CommandType.FLOW)
        .reduce((sum, c) => sum + c.body.messagePermits, 0);
    // The entry used 4 permits; the broker must again be allowed to send a full queue.
    await until(() => granted() - 4 === 4, 'all permits returned');
    await new Promise((r) => setTimeout(r, 100));
    expect(granted() - 4).toBe(4); // and not more: stale messages of the old session earn nothing
  });

  it('shares maxTotalReceiverQueueSizeAcrossPartitions between the partitions it prefetches from', async () => {
    const { b } = await consumerBroker(() => true, 4);
    await client(b.url).subscribe({
      topic: 'persistent://t/n/wide',
      subscription: 's',
      receiverQueueSize: 1000,
      maxTotalReceiverQueueSizeAcrossPartitions: 100,
    });
    await until(() => b.count(CommandType.FLOW) === 4, 'a FLOW per partition');
    const permits = b.received.filter((c) => c.type === CommandType.FLOW).map((c) => c.body.messagePermits);
    // Without the bound the broker could push 4 × 1000 messages into this process.
    expect(permits).toEqual([25, 25, 25, 25]);
  });

  it('sends acks made while disconnected before the FLOW of the new session', async () => {
    const { b, byConnection } = await consumerBroker();
    // Acks are grouped for a minute, so the one made below is still pending when the connection drops.
    const consumer = await client(b.url).subscribe({
      topic: 'persistent://t/n/acks',
      subscription: 's',
      type: 'Shared',
      ackGroupingMs: 60_000,
    });
    const [first] = [...byConnection.values()];
    const consumerId = first!.find((c) => c.type === CommandType.SUBSCRIBE)!.body.consumerId;
    for (const socket of byConnection.keys())
      socket.write(messageFrame(consumerId, { ledgerId: 7, entryId: 3 }, Buffer.from('hello')));
    const m = await consumer.receive(5_000);
    expect(m.payload.toString()).toBe('hello');
    await consumer.ack(m);

    for (const socket of byConnection.keys()) socket.destroy();
    await until(
      () =>
        byConnection.size === 2 && [...byConnection.values()][1]!.some((c) => c.type === CommandType.FLOW),
      'the new session',
    );
    const second = [...byConnection.values()][1]!;
    const types = second
      .map((c) => c.type)
      .filter((t) => t === CommandType.SUBSCRIBE || t === CommandType.ACK || t === CommandType.FLOW);
    expect(types).toEqual([CommandType.SUBSCRIBE, CommandType.ACK, CommandType.FLOW]);
    const ack = second.find((c) => c.type === CommandType.ACK)!;
    expect(ack.body.messageId).toEqual([expect.objectContaining({ ledgerId: 7, entryId: 3 })]);
  });

  it('closes on the broker a subscription whose SUBSCRIBE timed out', async () => {
    // The broker never answers: it may still complete the subscription later, and an orphan would hold
    // an Exclusive subscription against the application's next attempt.
    const { b, byConnection } = await consumerBroker(() => false);
    await expect(
      client(b.url, 1_000).subscribe({
        topic: 'persistent://t/n/orphan',
        subscription: 's',
        type: 'Exclusive',
      }),
    ).rejects.toMatchObject({ code: 'PULSAR_TIMEOUT' });
    const subscribe = [...byConnection.values()].flat().find((c) => c.type === CommandType.SUBSCRIBE)!;
    await until(
      () =>
        [...byConnection.values()]
          .flat()
          .some(
            (c) => c.type === CommandType.CLOSE_CONSUMER && c.body.consumerId === subscribe.body.consumerId,
          ),
      'CLOSE_CONSUMER for the timed-out subscription',
    );
  });

  /** Subscribes, then makes the broker dispatch one encrypted entry. */
  async function encryptedDelivery(options: { cryptoFailureAction?: 'fail' | 'discard' }) {
    const { b, byConnection } = await consumerBroker();
    const consumer = await client(b.url).subscribe({
      topic: 'persistent://t/n/encrypted',
      subscription: 's',
      type: 'Shared',
      nackRedeliveryDelayMs: 50,
      ackGroupingMs: 0,
      ...options,
    });
    const [socket] = [...byConnection.keys()];
    const consumerId = byConnection.get(socket!)!.find((c) => c.type === CommandType.SUBSCRIBE)!.body
      .consumerId;
    socket!.write(
      messageFrame(
        consumerId,
        { ledgerId: 9, entryId: 4 },
        Buffer.from('ciphertext'),
        {},
        { encrypted: true },
      ),
    );
    // A plain message after it shows the consumer went on.
    socket!.write(messageFrame(consumerId, { ledgerId: 9, entryId: 5 }, Buffer.from('plain')));
    const commands = () => byConnection.get(socket!)!;
    return { consumer, commands };
  }

  it('leaves an encrypted message it cannot decrypt on the subscription (nacked, never acked) by default', async () => {
    const { consumer, commands } = await encryptedDelivery({});
    expect((await consumer.receive(5_000)).payload.toString()).toBe('plain');
    await until(
      () => commands().some((c) => c.type === CommandType.REDELIVER_UNACKNOWLEDGED_MESSAGES),
      'a redelivery request for the encrypted entry',
    );
    const redeliver = commands().find((c) => c.type === CommandType.REDELIVER_UNACKNOWLEDGED_MESSAGES)!;
    expect(redeliver.body.messageIds).toEqual([expect.objectContaining({ ledgerId: 9, entryId: 4 })]);
    const acked = commands()
      .filter((c) => c.type === CommandType.ACK)
      .flatMap((c) => c.body.messageId);
    expect(acked).not.toContainEqual(expect.objectContaining({ ledgerId: 9, entryId: 4 }));
  });

  it('acks an encrypted message with DecryptionError when told to discard it', async () => {
    const { consumer, commands } = await encryptedDelivery({ cryptoFailureAction: 'discard' });
    expect((await consumer.receive(5_000)).payload.toString()).toBe('plain');
    await until(() => commands().some((c) => c.type === CommandType.ACK), 'the discarding ack');
    const ack = commands().find((c) => c.type === CommandType.ACK)!;
    expect(ack.body.messageId).toEqual([expect.objectContaining({ ledgerId: 9, entryId: 4 })]);
    expect(ack.body.validationError).toBe(ValidationError.DecryptionError);
  });

  it('tells the application when a terminated topic has nothing more to deliver', async () => {
    const { b, byConnection } = await consumerBroker();
    const consumer = await client(b.url).subscribe({ topic: 'persistent://t/n/ended', subscription: 's' });
    const [socket] = [...byConnection.keys()];
    const consumerId = byConnection.get(socket!)!.find((c) => c.type === CommandType.SUBSCRIBE)!.body
      .consumerId;
    socket!.write(messageFrame(consumerId, { ledgerId: 3, entryId: 0 }, Buffer.from('last')));
    socket!.write(encodeCommandFrame({ type: CommandType.REACHED_END_OF_TOPIC, body: { consumerId } }));
    // A waiting receive gets the last message, the next one learns the stream is over.
    expect((await consumer.receive(5_000)).payload.toString()).toBe('last');
    await expect(consumer.receive(5_000)).rejects.toMatchObject({ code: 'PULSAR_END_OF_TOPIC' });
    expect(consumer.hasReachedEndOfTopic()).toBe(true);
    const seen: string[] = [];
    for await (const m of consumer) seen.push(m.payload.toString());
    expect(seen).toEqual([]); // iteration ends instead of waiting forever
  });

  it('reassembles a chunked message and acks all of its chunks, never one alone', async () => {
    const { b, byConnection } = await consumerBroker();
    const consumer = await client(b.url).subscribe({
      topic: 'persistent://t/n/chunked',
      subscription: 's',
      type: 'Shared',
      ackGroupingMs: 0,
    });
    const [socket] = [...byConnection.keys()];
    const consumerId = byConnection.get(socket!)!.find((c) => c.type === CommandType.SUBSCRIBE)!.body
      .consumerId;
    const parts = ['first-', 'second-', 'third'];
    parts.forEach((part, chunkId) =>
      socket!.write(
        messageFrame(consumerId, { ledgerId: 8, entryId: 10 + chunkId }, Buffer.from(part), {
          uuid: 'producer-1-0',
          chunkId,
          numChunksFromMsg: parts.length,
          totalChunkMsgSize: parts.join('').length,
        }),
      ),
    );
    const m = await consumer.receive(5_000);
    expect(m.payload.toString()).toBe('first-second-third');
    const commands = () => byConnection.get(socket!)!;
    // Nothing acked before the application acks the whole message.
    expect(commands().filter((c) => c.type === CommandType.ACK)).toEqual([]);
    await consumer.ack(m);
    await until(() => commands().some((c) => c.type === CommandType.ACK), 'the ack');
    const acked = commands()
      .filter((c) => c.type === CommandType.ACK)
      .flatMap((c) => (c.body.messageId ?? []).map((id) => id.entryId));
    expect(acked.sort()).toEqual([10, 11, 12]);
  });
});
