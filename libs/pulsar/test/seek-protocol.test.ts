/**
 * Seek and reader-start paths whose exact frame order a real broker cannot be made to produce on demand:
 * a dispatch racing the SEEK, queued messages from before it, and the start entry the broker sends again.
 */
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { MessageId, PulsarClient } from '../src/index';
import type { BaseCommand, CommandSubscribe } from '../src/proto/commands';
import { CommandType } from '../src/proto/commands';
import { writeSingleMessageMetadata } from '../src/proto/metadata';
import { ProtoWriter } from '../src/proto/wire';
import { FakeBroker, answerLookup, messageFrame } from './fake-broker';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

type Session = { socket: Socket; subscribe: CommandSubscribe };

/**
 * A broker that answers lookups with itself and SUBSCRIBE/CLOSE_CONSUMER with SUCCESS; `onSeek` decides
 * what it sends for a SEEK. Each SUBSCRIBE is recorded as a session.
 */
async function seekBroker(
  onSeek: (cmd: BaseCommand, socket: Socket, reply: (c: BaseCommand) => void) => void = () => {},
) {
  const sessions: Session[] = [];
  const b: FakeBroker = await new FakeBroker((cmd, reply, socket) => {
    if (answerLookup(cmd, reply, b.url)) return;
    if (cmd.type === CommandType.SUBSCRIBE) {
      sessions.push({ socket, subscribe: cmd.body });
      reply({ type: CommandType.SUCCESS, body: { requestId: cmd.body.requestId } });
    } else if (cmd.type === CommandType.CLOSE_CONSUMER) {
      reply({ type: CommandType.SUCCESS, body: { requestId: cmd.body.requestId } });
    } else if (cmd.type === CommandType.SEEK) {
      onSeek(cmd, socket, reply);
    }
  }).start();
  cleanup.push(() => b.stop());
  return { b, sessions };
}

function client(url: string): PulsarClient {
  const c = new PulsarClient({ serviceUrl: url, operationTimeoutMs: 5_000 });
  cleanup.push(() => c.close());
  return c;
}

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function send(s: Session, entryId: number, payload: string): void {
  s.socket.write(messageFrame(s.subscribe.consumerId, { ledgerId: 7, entryId }, Buffer.from(payload)));
}

/** A batch entry of `payloads`, framed as a broker dispatches it. */
function batchFrame(consumerId: number, entryId: number, payloads: string[]): Buffer {
  const w = new ProtoWriter(256);
  for (const p of payloads) {
    const smm = new ProtoWriter(32);
    writeSingleMessageMetadata(smm, { payloadSize: p.length });
    const meta = smm.finish();
    const size = Buffer.alloc(4);
    size.writeUInt32BE(meta.length, 0);
    w.raw(Buffer.concat([size, meta, Buffer.from(p)]));
  }
  return messageFrame(consumerId, { ledgerId: 7, entryId }, w.finish(), {
    numMessagesInBatch: payloads.length,
  });
}

describe('seek', () => {
  it('hands out nothing read before the seek: not the queue, not a dispatch racing the SEEK', async () => {
    const { b, sessions } = await seekBroker((cmd, socket, reply) => {
      if (cmd.type !== CommandType.SEEK) return;
      // As the broker does: an entry read from the old position may still be on its way, then it closes
      // the consumer, then it answers the SEEK.
      const consumerId = cmd.body.consumerId;
      socket.write(messageFrame(consumerId, { ledgerId: 7, entryId: 4 }, Buffer.from('stale-4')));
      reply({ type: CommandType.CLOSE_CONSUMER, body: { consumerId, requestId: 999 } });
      reply({ type: CommandType.SUCCESS, body: { requestId: cmd.body.requestId } });
    });
    const consumer = await client(b.url).subscribe({ topic: 'persistent://t/n/seek', subscription: 's' });
    await until(() => sessions.length === 1, 'the subscription');
    for (const [entry, p] of [
      [1, 'old-1'],
      [2, 'old-2'],
      [3, 'old-3'],
    ] as const)
      send(sessions[0]!, entry, p);
    expect((await consumer.receive(5_000)).payload.toString()).toBe('old-1');
    await until(() => consumer.queued === 2, 'two queued messages');

    const seeking = consumer.seek(new MessageId(7, 1));
    const next = consumer.receive(5_000); // concurrent with the seek
    await seeking;
    await until(() => sessions.length === 2, 'the resubscribe after the seek');
    send(sessions[1]!, 1, 'new-1');
    send(sessions[1]!, 2, 'new-2');
    expect((await next).payload.toString()).toBe('new-1');
    expect((await consumer.receive(5_000)).payload.toString()).toBe('new-2');
    expect(b.received.find((c) => c.type === CommandType.SEEK)!.body).toMatchObject({
      messageId: { ledgerId: 7, entryId: 1 },
    });
  });

  it('by time sends message_publish_time', async () => {
    const { b } = await seekBroker((cmd, _socket, reply) => {
      if (cmd.type === CommandType.SEEK)
        reply({ type: CommandType.SUCCESS, body: { requestId: cmd.body.requestId } });
    });
    const consumer = await client(b.url).subscribe({
      topic: 'persistent://t/n/seek-time',
      subscription: 's',
    });
    await consumer.seek(1_700_000_000_000);
    const seek = b.received.find((c) => c.type === CommandType.SEEK)!;
    expect(seek.body).toMatchObject({ messagePublishTime: 1_700_000_000_000 });
    expect(seek.body).not.toHaveProperty('messageId');
  });
});

describe('reader start', () => {
  // The broker delivers from the start entry itself: the client must drop what precedes the start.
  for (const inclusive of [false, true]) {
    it(`from a message id, ${inclusive ? 'inclusive' : 'exclusive'}`, async () => {
      const { b, sessions } = await seekBroker();
      const reader = await client(b.url).createReader({
        topic: 'persistent://t/n/reader',
        startMessageId: new MessageId(7, 5),
        startMessageIdInclusive: inclusive,
      });
      await until(() => sessions.length === 1, 'the subscription');
      expect(sessions[0]!.subscribe).toMatchObject({
        durable: false,
        startMessageId: { ledgerId: 7, entryId: 5 },
      });
      send(sessions[0]!, 5, 'start');
      send(sessions[0]!, 6, 'after');
      expect((await reader.readNext(5_000)).payload.toString()).toBe(inclusive ? 'start' : 'after');
    });
  }

  it('from a message inside a batch, exclusive: only the later messages of that batch', async () => {
    const { b, sessions } = await seekBroker();
    const reader = await client(b.url).createReader({
      topic: 'persistent://t/n/reader-batch',
      startMessageId: new MessageId(7, 5, -1, 1, 3),
    });
    await until(() => sessions.length === 1, 'the subscription');
    sessions[0]!.socket.write(batchFrame(sessions[0]!.subscribe.consumerId, 5, ['b0', 'b1', 'b2']));
    send(sessions[0]!, 6, 'after');
    expect((await reader.readNext(5_000)).payload.toString()).toBe('b2');
    expect((await reader.readNext(5_000)).payload.toString()).toBe('after');
  });

  it('resumes after the last message read when the connection drops, without repeating it', async () => {
    const { b, sessions } = await seekBroker();
    const reader = await client(b.url).createReader({
      topic: 'persistent://t/n/resume',
      startMessageId: 'earliest',
    });
    await until(() => sessions.length === 1, 'the subscription');
    send(sessions[0]!, 0, 'm0');
    send(sessions[0]!, 1, 'm1');
    expect((await reader.readNext(5_000)).payload.toString()).toBe('m0');
    await until(
      () => (reader as unknown as { consumer: { queued: number } }).consumer.queued === 1,
      'm1 queued',
    );
    sessions[0]!.socket.destroy();
    await until(() => sessions.length === 2, 'the resubscribe');
    expect(sessions[1]!.subscribe.startMessageId).toMatchObject({ ledgerId: 7, entryId: 0 });
    // The broker starts at the start entry itself.
    send(sessions[1]!, 0, 'm0');
    send(sessions[1]!, 1, 'm1');
    expect((await reader.readNext(5_000)).payload.toString()).toBe('m1');
  });
});
