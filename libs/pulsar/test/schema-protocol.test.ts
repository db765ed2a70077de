/**
 * Schemas on the wire, byte for byte: what PRODUCER and SUBSCRIBE declare, the schema version the
 * broker answers being stamped on every message, and the registry's refusal surfacing as its own
 * error. That the real broker registers and refuses schemas is in schema.broker.test.ts.
 */
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { parsePayloadSection } from '../src/frame';
import { PulsarClient, isPulsarError } from '../src/index';
import type { BaseCommand, CommandProducer, CommandSubscribe } from '../src/proto/commands';
import { CommandType } from '../src/proto/commands';
import type { MessageMetadata } from '../src/proto/metadata';
import { FakeBroker, answerLookup, messageFrame } from './fake-broker';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

const VERSION_3 = Buffer.from([0, 0, 0, 0, 0, 0, 0, 3]);
const PROTOBUF_NATIVE = 20;

interface Seen {
  producers: CommandProducer[];
  subscribes: CommandSubscribe[];
  /** The connection the last SUBSCRIBE came on, to deliver MESSAGEs on. */
  consumerSocket: Socket | undefined;
  /** MessageMetadata of every SEND frame. */
  sent: MessageMetadata[];
}

/**
 * A broker that creates producers (answering `schema_version` = 3 when a schema was declared, as the
 * real registry does) and consumers, and receipts every SEND. `refuse` answers PRODUCER with an ERROR.
 */
async function schemaBroker(refuse?: { error: number; message: string }) {
  const seen: Seen = { producers: [], subscribes: [], consumerSocket: undefined, sent: [] };
  const b: FakeBroker = await new FakeBroker((cmd, reply, socket, frame) => {
    if (answerLookup(cmd, reply, b.url)) return;
    switch (cmd.type) {
      case CommandType.PRODUCER:
        seen.producers.push(cmd.body);
        if (refuse) reply({ type: CommandType.ERROR, body: { requestId: cmd.body.requestId, ...refuse } });
        else
          reply({
            type: CommandType.PRODUCER_SUCCESS,
            body: {
              requestId: cmd.body.requestId,
              producerName: 'fake-1',
              ...(cmd.body.schema ? { schemaVersion: VERSION_3 } : {}),
            },
          });
        return;
      case CommandType.SUBSCRIBE:
        seen.subscribes.push(cmd.body);
        seen.consumerSocket = socket;
        reply({ type: CommandType.SUCCESS, body: { requestId: cmd.body.requestId } });
        return;
      case CommandType.SEND:
        seen.sent.push(parsePayloadSection(frame.data, frame.payloadStart).metadata);
        reply({
          type: CommandType.SEND_RECEIPT,
          body: {
            producerId: cmd.body.producerId,
            sequenceId: cmd.body.sequenceId,
            messageId: { ledgerId: 1, entryId: seen.sent.length },
          },
        } satisfies BaseCommand);
        return;
      case CommandType.CLOSE_PRODUCER:
      case CommandType.CLOSE_CONSUMER:
        reply({ type: CommandType.SUCCESS, body: { requestId: cmd.body.requestId } });
        return;
    }
  }).start();
  cleanup.push(() => b.stop());
  return { b, seen };
}

function client(url: string): PulsarClient {
  const c = new PulsarClient({ serviceUrl: url, operationTimeoutMs: 3_000 });
  cleanup.push(() => c.close());
  return c;
}

const definition = JSON.stringify({ fileDescriptorSet: 'AAEC', rootMessageTypeName: 'a.B' });

describe('schema on the wire', () => {
  it('declares the schema in PRODUCER and stamps the answered version on single and batched messages', async () => {
    const { b, seen } = await schemaBroker();
    const c = client(b.url);
    const single = await c.createProducer({
      topic: 'persistent://t/n/single',
      batching: { enabled: false },
      schema: { type: 'PROTOBUF_NATIVE', name: 'pattern', data: definition, properties: { k: 'v' } },
    });
    expect(seen.producers[0]!.schema).toEqual({
      name: 'pattern',
      schemaData: Buffer.from(definition),
      type: PROTOBUF_NATIVE,
      properties: [{ key: 'k', value: 'v' }],
    });
    expect(Buffer.from(single.schemaVersion!)).toEqual(VERSION_3);
    await single.send({ payload: 'a' });

    const batched = await c.createProducer({
      topic: 'persistent://t/n/batched',
      batching: { maxDelayMs: 5 },
      schema: { type: 'PROTOBUF_NATIVE', data: Buffer.from(definition) },
    });
    await Promise.all([batched.send({ payload: 'b' }), batched.send({ payload: 'c' })]);

    expect(seen.sent.map((m) => m.numMessagesInBatch)).toEqual([undefined, 2]);
    for (const m of seen.sent) expect(Buffer.from(m.schemaVersion!)).toEqual(VERSION_3);
  });

  it('declares no schema for BYTES, NONE or none at all, and stamps no version', async () => {
    const { b, seen } = await schemaBroker();
    const c = client(b.url);
    for (const schema of [undefined, { type: 'BYTES' as const }, { type: 'NONE' as const }]) {
      const p = await c.createProducer({
        topic: 'persistent://t/n/raw',
        batching: { enabled: false },
        ...(schema ? { schema } : {}),
      });
      expect(p.schemaVersion).toBeUndefined();
      await p.send({ payload: 'x' });
      await p.close();
    }
    expect(seen.producers.map((p) => p.schema)).toEqual([undefined, undefined, undefined]);
    expect(seen.sent.map((m) => m.schemaVersion)).toEqual([undefined, undefined, undefined]);
  });

  it('sends fixed-type schemas with empty data, and rejects a definition-typed schema without one', async () => {
    const { b, seen } = await schemaBroker();
    const c = client(b.url);
    await c.createProducer({ topic: 'persistent://t/n/s', schema: { type: 'STRING' } });
    // proto2 `required`: name and data are written even when empty.
    expect(seen.producers[0]!.schema).toEqual({ name: '', schemaData: Buffer.alloc(0), type: 1 });
    await expect(
      c.createProducer({ topic: 'persistent://t/n/j', schema: { type: 'JSON' } }),
    ).rejects.toMatchObject({ code: 'PULSAR_INVALID_ARGUMENT' });
    await expect(
      c.createProducer({ topic: 'persistent://t/n/j', schema: { type: 'XML' as 'JSON', data: 'x' } }),
    ).rejects.toMatchObject({ code: 'PULSAR_INVALID_ARGUMENT' });
  });

  it('fails createProducer at once with PULSAR_INCOMPATIBLE_SCHEMA when the registry refuses', async () => {
    const { b, seen } = await schemaBroker({ error: 18, message: 'Incompatible schema: exists STRING' });
    const error = await client(b.url)
      .createProducer({ topic: 'persistent://t/n/x', schema: { type: 'JSON', data: '{}' } })
      .catch((e: unknown) => e);
    expect(isPulsarError(error)).toBe(true);
    expect(error).toMatchObject({
      code: 'PULSAR_INCOMPATIBLE_SCHEMA',
      retryable: false,
      serverError: 'IncompatibleSchema',
    });
    // Not retried until the operation timeout: asking again cannot change the registry's answer.
    expect(seen.producers).toHaveLength(1);
  });

  it('declares a consumer schema in SUBSCRIBE and exposes the schema version of received messages', async () => {
    const { b, seen } = await schemaBroker();
    const consumer = await client(b.url).subscribe({
      topic: 'persistent://t/n/c',
      subscription: 's',
      schema: { type: 'AVRO', data: '{"type":"string"}' },
    });
    expect(seen.subscribes[0]!.schema).toMatchObject({
      schemaData: Buffer.from('{"type":"string"}'),
      type: 4,
    });
    const consumerId = seen.subscribes[0]!.consumerId;
    for (const frame of [
      messageFrame(consumerId, { ledgerId: 1, entryId: 1 }, Buffer.from('v3'), { schemaVersion: VERSION_3 }),
      messageFrame(consumerId, { ledgerId: 1, entryId: 2 }, Buffer.from('none')),
    ])
      seen.consumerSocket!.write(frame);
    const first = await consumer.receive(3_000);
    const second = await consumer.receive(3_000);
    expect(first.schemaVersion).toEqual(VERSION_3);
    expect(second.schemaVersion).toBeUndefined();
  });
});
