import { afterEach, describe, expect, it } from 'vitest';
import type { Connection } from '../src/connection';
import { ConnectionPool } from '../src/connection-pool';
import { LookupService, MAX_LOOKUP_REDIRECTS } from '../src/lookup';
import { CommandType, LookupType } from '../src/proto/commands';
import { PulsarClient } from '../src/index';
import { FakeBroker, answerLookup } from './fake-broker';

const brokers: FakeBroker[] = [];
const pools: ConnectionPool[] = [];
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
  await Promise.all(brokers.splice(0).map((b) => b.stop()));
});

async function fake(handler?: ConstructorParameters<typeof FakeBroker>[0]): Promise<FakeBroker> {
  const b = await new FakeBroker(handler).start();
  brokers.push(b);
  return b;
}

function pool(keepAliveIntervalMs = 30_000, operationTimeoutMs = 5_000): ConnectionPool {
  const p = new ConnectionPool({ connectionTimeoutMs: 2_000, operationTimeoutMs, keepAliveIntervalMs });
  pools.push(p);
  return p;
}

let rid = 0;
const newRequestId = () => rid++;

describe('lookup', () => {
  it('follows Redirect to the named broker, passing authoritative, until Connect', async () => {
    const owner = await fake((cmd, reply) => {
      if (cmd.type === CommandType.LOOKUP) {
        reply({
          type: CommandType.LOOKUP_RESPONSE,
          body: {
            requestId: cmd.body.requestId,
            response: LookupType.Connect,
            brokerServiceUrl: owner.url,
            authoritative: true,
          },
        });
      }
    });
    const front = await fake((cmd, reply) => {
      if (cmd.type === CommandType.LOOKUP) {
        reply({
          type: CommandType.LOOKUP_RESPONSE,
          body: {
            requestId: cmd.body.requestId,
            response: LookupType.Redirect,
            brokerServiceUrl: owner.url,
            authoritative: true,
          },
        });
      }
    });
    const lookup = new LookupService(pool(), [front.url], false, newRequestId);
    expect(await lookup.lookup('persistent://public/default/t')).toEqual({
      logicalAddress: owner.url,
      physicalAddress: owner.url,
    });
    const sent = owner.received.find((c) => c.type === CommandType.LOOKUP);
    expect(sent?.type === CommandType.LOOKUP && sent.body.authoritative).toBe(true);
  });

  it(`gives up after ${MAX_LOOKUP_REDIRECTS} redirects`, async () => {
    const loop = await fake((cmd, reply) => {
      if (cmd.type === CommandType.LOOKUP) {
        reply({
          type: CommandType.LOOKUP_RESPONSE,
          body: { requestId: cmd.body.requestId, response: LookupType.Redirect, brokerServiceUrl: loop.url },
        });
      }
    });
    const lookup = new LookupService(pool(), [loop.url], false, newRequestId);
    await expect(lookup.lookup('t')).rejects.toMatchObject({ code: 'PULSAR_TOO_MANY_REDIRECTS' });
    expect(loop.count(CommandType.LOOKUP)).toBe(MAX_LOOKUP_REDIRECTS + 1);
  });

  it('maps a Failed lookup to a typed broker error', async () => {
    const b = await fake((cmd, reply) => {
      if (cmd.type === CommandType.LOOKUP) {
        reply({
          type: CommandType.LOOKUP_RESPONSE,
          body: {
            requestId: cmd.body.requestId,
            response: LookupType.Failed,
            error: 11,
            message: 'no such topic',
          },
        });
      }
    });
    const lookup = new LookupService(pool(), [b.url], false, newRequestId);
    await expect(lookup.lookup('t')).rejects.toMatchObject({
      code: 'PULSAR_TOPIC_NOT_FOUND',
      serverError: 'TopicNotFound',
    });
  });
});

describe('connection', () => {
  it('answers broker PINGs and sends its own', async () => {
    const b = await fake();
    const cnx = await pool(50).get(b.url);
    b.broadcast({ type: CommandType.PING, body: {} });
    await new Promise((r) => setTimeout(r, 200));
    expect(cnx.closed).toBe(false);
    expect(b.count(CommandType.PONG)).toBeGreaterThanOrEqual(1);
    expect(b.count(CommandType.PING)).toBeGreaterThanOrEqual(1);
  });

  it('drops a connection whose peer goes silent for two keep-alive intervals', async () => {
    const b = await fake();
    b.answerPings = false;
    const cnx = await pool(50).get(b.url);
    const closed = new Promise<string>((r) => cnx.onClose((_c, err) => r(err.message)));
    expect(await closed).toMatch(/no data/);
  });

  it('times out unanswered requests with PULSAR_TIMEOUT', async () => {
    const b = await fake();
    const cnx = await pool(30_000, 100).get(b.url);
    await expect(
      cnx.request({ type: CommandType.PARTITIONED_METADATA, body: { topic: 't', requestId: 99 } }),
    ).rejects.toMatchObject({
      code: 'PULSAR_TIMEOUT',
      retryable: true,
    });
    expect(cnx.closed).toBe(false);
  });

  it('fails pending requests when the connection drops', async () => {
    const b = await fake((cmd, _reply, socket) => {
      if (cmd.type === CommandType.LOOKUP) socket.destroy();
    });
    const cnx: Connection = await pool().get(b.url);
    await expect(
      cnx.request({ type: CommandType.LOOKUP, body: { topic: 't', requestId: 1 } }),
    ).rejects.toMatchObject({
      code: 'PULSAR_CONNECTION_CLOSED',
      retryable: true,
    });
  });

  it('rejects the handshake with a typed error when the broker answers CONNECT with ERROR', async () => {
    const b = await fake();
    b.rejectConnect = { error: 3, message: 'bad token' };
    await expect(pool().get(b.url)).rejects.toMatchObject({
      code: 'PULSAR_AUTHENTICATION',
      retryable: false,
    });
  });

  it('creates one shared connection per broker for concurrent users', async () => {
    const b = await fake();
    const p = pool();
    const [c1, c2] = await Promise.all([p.get(b.url), p.get(b.url)]);
    expect(c1).toBe(c2);
    expect(b.count(CommandType.CONNECT)).toBe(1);
  });
});

describe('client', () => {
  it('fails createProducer fast with a non-retryable broker error', async () => {
    const b = await fake((cmd, reply) => {
      if (answerLookup(cmd, reply, b.url)) return;
      if (cmd.type === CommandType.PRODUCER) {
        reply({
          type: CommandType.ERROR,
          body: { requestId: cmd.body.requestId, error: 15, message: 'terminated' },
        });
      }
    });
    const client = new PulsarClient({ serviceUrl: b.url, operationTimeoutMs: 5_000 });
    await expect(client.createProducer({ topic: 't' })).rejects.toMatchObject({
      code: 'PULSAR_TOPIC_TERMINATED',
      retryable: false,
    });
    await client.close();
  });
});
