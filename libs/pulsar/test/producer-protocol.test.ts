/**
 * Producer behaviours that need a broker misbehaving on cue (see fake-broker.ts): out-of-order receipts,
 * CLOSE_PRODUCER racing with PRODUCER_SUCCESS, and the exact frames re-sent after a reconnect.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { encodeCommandFrame } from '../src/frame';
import { PulsarClient } from '../src/index';
import type { BaseCommand, CommandSend } from '../src/proto/commands';
import { CommandType, LookupType } from '../src/proto/commands';
import { FakeBroker } from './fake-broker';
import type { Handler } from './fake-broker';

const brokers: FakeBroker[] = [];
const clients: PulsarClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.destroy()));
  await Promise.all(brokers.splice(0).map((b) => b.stop()));
});

/** A fake broker that does lookup and producer creation, delegating SEND to `onSend`. */
async function producerBroker(
  onSend: (send: CommandSend, reply: (c: BaseCommand) => void) => void,
  onProducer?: Handler,
): Promise<FakeBroker> {
  const b: FakeBroker = await new FakeBroker((cmd, reply, socket) => {
    switch (cmd.type) {
      case CommandType.PARTITIONED_METADATA:
        reply({
          type: CommandType.PARTITIONED_METADATA_RESPONSE,
          body: { requestId: cmd.body.requestId, partitions: 0 },
        });
        return;
      case CommandType.LOOKUP:
        reply({
          type: CommandType.LOOKUP_RESPONSE,
          body: { requestId: cmd.body.requestId, response: LookupType.Connect, brokerServiceUrl: b.url },
        });
        return;
      case CommandType.PRODUCER:
        if (onProducer) onProducer(cmd, reply, socket);
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
        onSend(cmd.body, reply);
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

function client(url: string): PulsarClient {
  const c = new PulsarClient({ serviceUrl: url, operationTimeoutMs: 5_000 });
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
});
