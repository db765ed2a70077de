import { describe, expect, it } from 'vitest';
import { crc32c } from './crc32c';
import {
  FrameDecoder,
  MAGIC_CRC32C,
  decodeFrame,
  encodeCommandFrame,
  encodeSendFrameHeader,
  parsePayloadSection,
  sendFrameChecksumValid,
} from './frame';
import { CommandType } from './proto/commands';

describe('frame encoding', () => {
  it('encodes a simple command as [total][cmdSize][cmd]', () => {
    const f = encodeCommandFrame({ type: CommandType.PING, body: {} });
    expect(f.toString('hex')).toBe('00000009' + '00000005' + '0812920100');
    const d = decodeFrame(f.subarray(4));
    expect(d.command).toEqual({ type: CommandType.PING, body: {} });
    expect(d.payloadStart).toBe(-1);
  });

  it('encodes SEND with magic, CRC-32C over metadata+payload, and sizes that add up', () => {
    const payload = Buffer.from('hello pulsar');
    const header = encodeSendFrameHeader(
      { producerId: 3, sequenceId: 7 },
      { producerName: 'p', sequenceId: 7, publishTime: 1000, properties: { a: 'b' } },
      payload,
    );
    const frame = Buffer.concat([header, payload]);
    expect(frame.readUInt32BE(0)).toBe(frame.length - 4);
    const cmdSize = frame.readUInt32BE(4);
    const magicPos = 8 + cmdSize;
    expect(frame.readUInt16BE(magicPos)).toBe(MAGIC_CRC32C);
    expect(frame.readUInt32BE(magicPos + 2)).toBe(crc32c(frame.subarray(magicPos + 6)));

    const d = decodeFrame(frame.subarray(4));
    expect(d.command).toEqual({ type: CommandType.SEND, body: { producerId: 3, sequenceId: 7 } });
    const p = parsePayloadSection(d.data, d.payloadStart);
    expect(p.checksumValid).toBe(true);
    expect(p.metadata).toEqual({
      producerName: 'p',
      sequenceId: 7,
      publishTime: 1000,
      properties: { a: 'b' },
    });
    expect(p.payload.toString()).toBe('hello pulsar');
  });

  it('detects a corrupted payload through the checksum', () => {
    const payload = Buffer.from('abcdef');
    const header = encodeSendFrameHeader(
      { producerId: 1, sequenceId: 1 },
      { producerName: 'p', sequenceId: 1, publishTime: 1 },
      payload,
    );
    const frame = Buffer.concat([header, payload]);
    frame[frame.length - 1] = frame[frame.length - 1]! ^ 0x01;
    const d = decodeFrame(frame.subarray(4));
    expect(parsePayloadSection(d.data, d.payloadStart).checksumValid).toBe(false);
  });

  it('tells whether a queued SEND frame still matches its checksum', () => {
    const payload = Buffer.from('abcdef');
    const header = encodeSendFrameHeader(
      { producerId: 1, sequenceId: 7, numMessages: 2, highestSequenceId: 8 },
      { producerName: 'p', sequenceId: 7, publishTime: 1, properties: { a: 'b' } },
      payload,
    );
    expect(sendFrameChecksumValid(header, payload)).toBe(true);
    const changed = Buffer.from(payload);
    changed[2] = changed[2]! ^ 0x01;
    expect(sendFrameChecksumValid(header, changed)).toBe(false);
    const damagedMetadata = Buffer.from(header);
    damagedMetadata[damagedMetadata.length - 1] = damagedMetadata[damagedMetadata.length - 1]! ^ 0x01;
    expect(sendFrameChecksumValid(damagedMetadata, payload)).toBe(false);
  });

  it('skips broker entry metadata (0x0e02) before the checksum', () => {
    const payload = Buffer.from('x');
    const header = encodeSendFrameHeader(
      { producerId: 1, sequenceId: 1 },
      { producerName: 'p', sequenceId: 1, publishTime: 1 },
      payload,
    );
    const frame = Buffer.concat([header, payload]);
    const cmdSize = frame.readUInt32BE(4);
    const bem = Buffer.from([0x0e, 0x02, 0, 0, 0, 2, 0x08, 0x05]);
    const withBem = Buffer.concat([frame.subarray(4, 8 + cmdSize), bem, frame.subarray(8 + cmdSize)]);
    const d = decodeFrame(withBem);
    const p = parsePayloadSection(d.data, d.payloadStart);
    expect(p.checksumValid).toBe(true);
    expect(p.payload.toString()).toBe('x');
  });
});

describe('FrameDecoder', () => {
  const frames = [
    encodeCommandFrame({ type: CommandType.PING, body: {} }),
    encodeCommandFrame({ type: CommandType.SUCCESS, body: { requestId: 1 } }),
    Buffer.concat([
      encodeSendFrameHeader(
        { producerId: 1, sequenceId: 1 },
        { producerName: 'p', sequenceId: 1, publishTime: 1 },
        Buffer.alloc(3000, 1),
      ),
      Buffer.alloc(3000, 1),
    ]),
    encodeCommandFrame({ type: CommandType.FLOW, body: { consumerId: 1, messagePermits: 5 } }),
  ];
  const stream = Buffer.concat(frames);

  for (const chunkSize of [1, 3, 4, 5, 17, 1000, stream.length]) {
    it(`reassembles frames from ${chunkSize}-byte chunks`, () => {
      const dec = new FrameDecoder();
      const got: Buffer[] = [];
      for (let i = 0; i < stream.length; i += chunkSize) {
        dec.push(stream.subarray(i, i + chunkSize), (f) => got.push(Buffer.from(f)));
      }
      expect(got.map((g) => g.toString('hex'))).toEqual(frames.map((f) => f.subarray(4).toString('hex')));
    });
  }

  it('rejects frames larger than the limit', () => {
    const dec = new FrameDecoder();
    dec.maxFrameSize = 100;
    const big = Buffer.alloc(8);
    big.writeUInt32BE(101, 0);
    expect(() => dec.push(big, () => {})).toThrow(/exceeds limit/);
  });
});
