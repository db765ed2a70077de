import { describe, expect, it } from 'vitest';
import { PulsarError, fromServerError, isPulsarError, toPulsarError } from './errors';
import { MessageId } from './message-id';
import { parseTopicName, partitionTopic, topicRestPath } from './topic-name';
import { splitServiceUrl } from './client';
import { Backoff } from './backoff';

describe('MessageId', () => {
  it('formats like the Java client and parses back', () => {
    expect(new MessageId(12, 34).toString()).toBe('12:34:-1');
    expect(new MessageId(12, 34, 2, 5, 10).toString()).toBe('12:34:2:5');
    expect(MessageId.parse('12:34:2:5').equals(new MessageId(12, 34, 2, 5))).toBe(true);
    expect(() => MessageId.parse('nope')).toThrow();
  });

  it('serialises as MessageIdData bytes', () => {
    const id = new MessageId(7, 8, 1, 2, 3);
    const back = MessageId.fromBytes(id.toBytes());
    expect(back).toMatchObject({ ledgerId: 7, entryId: 8, partition: 1, batchIndex: 2, batchSize: 3 });
    expect(new MessageId(1, 2).toBytes().toString('hex')).toBe('08011002');
  });

  it('orders by ledger, entry, batch index', () => {
    const ids = [
      new MessageId(2, 0),
      new MessageId(1, 5, -1, 1),
      new MessageId(1, 5, -1, 0),
      new MessageId(1, 4),
    ];
    ids.sort((a, b) => a.compareTo(b));
    expect(ids.map(String)).toEqual(['1:4:-1', '1:5:-1:0', '1:5:-1:1', '2:0:-1']);
  });
});

describe('topic names', () => {
  it('normalises short forms and recognises partitions', () => {
    expect(parseTopicName('orders').full).toBe('persistent://public/default/orders');
    expect(parseTopicName('t1/ns1/orders').full).toBe('persistent://t1/ns1/orders');
    expect(parseTopicName('non-persistent://t/n/x').domain).toBe('non-persistent');
    expect(parseTopicName('persistent://t/n/x-partition-3').partition).toBe(3);
    expect(partitionTopic('x', 2)).toBe('persistent://public/default/x-partition-2');
    expect(topicRestPath('persistent://t/n/a b')).toBe('persistent/t/n/a%20b');
    expect(() => parseTopicName('a/b')).toThrow(PulsarError);
    expect(() => parseTopicName('http://t/n/x')).toThrow(PulsarError);
  });
});

describe('errors', () => {
  it('maps broker errors to stable codes with retryable flags', () => {
    expect(fromServerError(6, 'x')).toMatchObject({
      code: 'PULSAR_SERVICE_NOT_READY',
      retryable: true,
      serverError: 'ServiceNotReady',
    });
    expect(fromServerError(11, 'x')).toMatchObject({ code: 'PULSAR_TOPIC_NOT_FOUND', retryable: false });
    expect(fromServerError(2, 'x')).toMatchObject({ code: 'PULSAR_BROKER_ERROR', retryable: true });
    expect(fromServerError(25, 'x')).toMatchObject({ code: 'PULSAR_PRODUCER_FENCED', retryable: false });
    expect(fromServerError(3, 'x')).toMatchObject({ code: 'PULSAR_AUTHENTICATION', retryable: false });
  });

  it('brands errors and wraps foreign ones', () => {
    const e = new PulsarError('PULSAR_TIMEOUT', 't');
    expect(isPulsarError(e)).toBe(true);
    expect(e.retryable).toBe(true);
    expect(isPulsarError(new Error('x'))).toBe(false);
    expect(isPulsarError({ code: 'PULSAR_TIMEOUT' })).toBe(false);
    const w = toPulsarError(new Error('boom'));
    expect(w).toMatchObject({ code: 'PULSAR_CONNECTION_FAILED', message: 'boom' });
  });
});

describe('service URL and back-off', () => {
  it('splits multi-host service URLs', () => {
    expect(splitServiceUrl('pulsar://a:6650,b:6651')).toEqual(['pulsar://a:6650', 'pulsar://b:6651']);
    expect(splitServiceUrl('pulsar+ssl://h:6651/')).toEqual(['pulsar+ssl://h:6651']);
    expect(() => splitServiceUrl('http://h:8080')).toThrow(PulsarError);
  });

  it('grows exponentially with bounded jitter and resets', () => {
    const b = new Backoff(100, 1000, 0.2);
    const d = Array.from({ length: 6 }, () => b.next());
    const bases = [100, 200, 400, 800, 1000, 1000];
    d.forEach((v, i) => {
      expect(v).toBeGreaterThanOrEqual(bases[i]!);
      expect(v).toBeLessThanOrEqual(bases[i]! * 1.2);
    });
    b.reset();
    expect(b.next()).toBeLessThanOrEqual(120);
  });
});
