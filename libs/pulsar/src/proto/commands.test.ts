import { describe, expect, it } from 'vitest';
import type { BaseCommand } from './commands';
import { CommandType, decodeBaseCommand, encodeBaseCommand } from './commands';
import {
  readMessageMetadata,
  readSingleMessageMetadata,
  writeMessageMetadata,
  writeSingleMessageMetadata,
} from './metadata';
import { ProtoReader, ProtoWriter } from './wire';

function roundTrip(cmd: BaseCommand): BaseCommand | undefined {
  const w = new ProtoWriter(8);
  encodeBaseCommand(cmd, w);
  const buf = w.finish();
  return decodeBaseCommand(new ProtoReader(buf), buf.length);
}

describe('BaseCommand codec', () => {
  const cases: BaseCommand[] = [
    {
      type: CommandType.CONNECT,
      body: {
        clientVersion: 'x/1',
        protocolVersion: 20,
        authMethodName: 'token',
        authData: Buffer.from('jwt'),
        featureFlags: { supportsAuthRefresh: true },
      },
    },
    {
      type: CommandType.CONNECTED,
      body: { serverVersion: 'Pulsar 4', protocolVersion: 20, maxMessageSize: 5242880 },
    },
    {
      type: CommandType.SUBSCRIBE,
      body: {
        topic: 'persistent://public/default/t',
        subscription: 's',
        subType: 3,
        consumerId: 0,
        requestId: 0,
        initialPosition: 1,
        keySharedMeta: { keySharedMode: 0, allowOutOfOrderDelivery: false },
        metadata: [{ key: 'a', value: 'b' }],
        consumerEpoch: 2,
      },
    },
    {
      type: CommandType.PRODUCER,
      body: {
        topic: 't',
        producerId: 7,
        requestId: 2 ** 40,
        epoch: 3,
        producerAccessMode: 1,
        userProvidedProducerName: false,
      },
    },
    { type: CommandType.SEND, body: { producerId: 1, sequenceId: 0, numMessages: 10, highestSequenceId: 9 } },
    {
      type: CommandType.SEND_RECEIPT,
      body: { producerId: 1, sequenceId: 5, messageId: { ledgerId: 12, entryId: 0 }, highestSequenceId: 5 },
    },
    { type: CommandType.SEND_ERROR, body: { producerId: 1, sequenceId: 5, error: 2, message: 'bk down' } },
    {
      type: CommandType.MESSAGE,
      body: {
        consumerId: 3,
        messageId: { ledgerId: 1, entryId: 2, partition: 4, batchIndex: -1 },
        redeliveryCount: 2,
        ackSet: [-1n, 2n ** 62n],
        consumerEpoch: 1,
      },
    },
    {
      type: CommandType.ACK,
      body: {
        consumerId: 3,
        ackType: 0,
        messageId: [
          { ledgerId: 1, entryId: 2 },
          { ledgerId: 1, entryId: 3 },
        ],
        validationError: 2,
      },
    },
    { type: CommandType.FLOW, body: { consumerId: 3, messagePermits: 1000 } },
    { type: CommandType.SUCCESS, body: { requestId: 9 } },
    { type: CommandType.ERROR, body: { requestId: 9, error: 11, message: 'nope' } },
    {
      type: CommandType.CLOSE_PRODUCER,
      body: { producerId: 1, requestId: 4, assignedBrokerServiceUrl: 'pulsar://b:6650' },
    },
    { type: CommandType.CLOSE_CONSUMER, body: { consumerId: 1, requestId: 4 } },
    {
      type: CommandType.PRODUCER_SUCCESS,
      body: { requestId: 1, producerName: 'p', lastSequenceId: -1, producerReady: true },
    },
    { type: CommandType.PING, body: {} },
    { type: CommandType.PONG, body: {} },
    {
      type: CommandType.REDELIVER_UNACKNOWLEDGED_MESSAGES,
      body: { consumerId: 1, messageIds: [{ ledgerId: 5, entryId: 6 }] },
    },
    { type: CommandType.PARTITIONED_METADATA, body: { topic: 't', requestId: 1 } },
    { type: CommandType.PARTITIONED_METADATA_RESPONSE, body: { partitions: 4, requestId: 1, response: 0 } },
    { type: CommandType.LOOKUP, body: { topic: 't', requestId: 1, authoritative: true } },
    {
      type: CommandType.LOOKUP_RESPONSE,
      body: {
        brokerServiceUrl: 'pulsar://b:6650',
        response: 0,
        requestId: 1,
        authoritative: true,
        proxyThroughServiceUrl: false,
      },
    },
    {
      type: CommandType.AUTH_CHALLENGE,
      body: {
        serverVersion: 'v',
        challenge: { authMethodName: 'token', authData: Buffer.from('x') },
        protocolVersion: 20,
      },
    },
    {
      type: CommandType.TOPIC_MIGRATED,
      body: { resourceId: 1, resourceType: 1, brokerServiceUrl: 'pulsar://c:6650' },
    },
  ];

  for (const cmd of cases) {
    it(`round-trips type ${cmd.type}`, () => {
      const back = roundTrip(cmd);
      expect(back).toEqual(cmd);
    });
  }

  it('writes required zero-valued fields (proto2)', () => {
    const w = new ProtoWriter();
    encodeBaseCommand({ type: CommandType.SEND, body: { producerId: 0, sequenceId: 0 } }, w);
    // type=6, send{ producer_id=0, sequence_id=0 }
    expect(w.view().toString('hex')).toBe('0806' + '3204' + '0800' + '1000');
  });

  it('encodes PING as type + empty sub-message, as brokers expect', () => {
    const w = new ProtoWriter();
    encodeBaseCommand({ type: CommandType.PING, body: {} }, w);
    expect(w.view().toString('hex')).toBe('0812' + '9201' + '00');
  });

  it('throws when a required field is missing on encode', () => {
    const w = new ProtoWriter();
    expect(() =>
      encodeBaseCommand({ type: CommandType.FLOW, body: { consumerId: 1 } } as unknown as BaseCommand, w),
    ).toThrow(/messagePermits/);
  });

  it('skips unknown fields and returns undefined for unknown command types', () => {
    const w = new ProtoWriter();
    w.tag(1, 0).uint32(CommandType.SUCCESS);
    w.tag(CommandType.SUCCESS, 2);
    const s = w.fork();
    w.tag(1, 0).uint32(77);
    w.tag(15, 2).string('future field');
    w.tag(16, 0).uint32(1);
    w.ldelim(s);
    const buf = w.finish();
    expect(decodeBaseCommand(new ProtoReader(buf), buf.length)).toEqual({
      type: CommandType.SUCCESS,
      body: { requestId: 77 },
    });

    const u = new ProtoWriter();
    u.tag(1, 0).uint32(99);
    u.tag(99, 2).uint32(0);
    const ub = u.finish();
    expect(decodeBaseCommand(new ProtoReader(ub), ub.length)).toBeUndefined();
  });

  it('accepts packed repeated ack_set', () => {
    const w = new ProtoWriter();
    w.tag(1, 0).uint32(CommandType.MESSAGE);
    w.tag(CommandType.MESSAGE, 2);
    const s = w.fork();
    w.tag(1, 0).uint32(1);
    w.tag(2, 2);
    const m = w.fork();
    w.tag(1, 0).uint32(1).tag(2, 0).uint32(2);
    w.ldelim(m);
    w.tag(4, 2);
    const p = w.fork();
    w.int64(3n).int64(-1n);
    w.ldelim(p);
    w.ldelim(s);
    const buf = w.finish();
    const cmd = decodeBaseCommand(new ProtoReader(buf), buf.length);
    expect(cmd?.type === CommandType.MESSAGE && cmd.body.ackSet).toEqual([3n, -1n]);
  });
});

describe('MessageMetadata codec', () => {
  it('round-trips all written fields', () => {
    const md = {
      producerName: 'prod-1',
      sequenceId: 2 ** 40,
      publishTime: 1_700_000_000_000,
      properties: { a: '1', ключ: 'значение' },
      partitionKey: 'k',
      compression: 1,
      uncompressedSize: 1234,
      numMessagesInBatch: 10,
      eventTime: 1_600_000_000_000,
      orderingKey: Buffer.from('ok'),
      deliverAtTime: 1_800_000_000_000,
      highestSequenceId: 2 ** 40 + 9,
      nullValue: true,
      uuid: 'u',
      chunkId: 0,
    };
    const w = new ProtoWriter();
    writeMessageMetadata(w, md);
    const buf = w.finish();
    expect(readMessageMetadata(new ProtoReader(buf), buf.length)).toEqual(md);
  });

  it('flags encrypted messages and skips unknown fields', () => {
    const w = new ProtoWriter();
    writeMessageMetadata(w, { producerName: 'p', sequenceId: 0, publishTime: 1 });
    w.tag(13, 2).bytes(Buffer.from([0x0a, 0x01, 0x61, 0x12, 0x00]));
    w.tag(99, 0).uint32(5);
    const buf = w.finish();
    expect(readMessageMetadata(new ProtoReader(buf), buf.length)).toEqual({
      producerName: 'p',
      sequenceId: 0,
      publishTime: 1,
      encrypted: true,
    });
  });

  it('round-trips SingleMessageMetadata', () => {
    const s = {
      properties: { x: 'y' },
      partitionKey: 'k',
      payloadSize: 0,
      eventTime: 5,
      sequenceId: 0,
      orderingKey: Buffer.from('o'),
    };
    const w = new ProtoWriter();
    writeSingleMessageMetadata(w, s);
    const buf = w.finish();
    expect(readSingleMessageMetadata(new ProtoReader(buf), buf.length)).toEqual(s);
  });
});
