/**
 * Token authentication and TLS against a dedicated broker started with `auth` and `tls`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PulsarAdmin, PulsarClient } from '../src/index';
import { type BrokerHandle, createToken, ensureBroker } from '@patternmesh/pulsar-tools';
import { closeAfter, receiveN } from './helpers';

let broker: BrokerHandle;
let dataDir: string;

beforeAll(async () => {
  dataDir = path.join(os.tmpdir(), `patternmesh-pulsar-auth-${process.pid}`);
  broker = await ensureBroker({
    dataDir,
    wipe: true,
    port: 0,
    webPort: 0,
    tlsPort: 0,
    webTlsPort: 0,
    auth: true,
    tls: true,
    log: true,
  });
});

afterAll(async () => {
  await broker?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function roundTrip(client: PulsarClient, label: string): Promise<void> {
  const topic = `persistent://public/default/${label}-${Date.now().toString(36)}`;
  const consumer = await client.subscribe({ topic, subscription: 's', initialPosition: 'earliest' });
  const producer = await client.createProducer({ topic });
  await Promise.all(Array.from({ length: 10 }, (_, i) => producer.send({ payload: `${label}-${i}` })));
  const got = await receiveN(consumer, 10);
  expect(got.map((m) => m.payload.toString())).toEqual(Array.from({ length: 10 }, (_, i) => `${label}-${i}`));
}

describe('token authentication', () => {
  it('produces and consumes with a token (static and supplier)', async () => {
    await roundTrip(
      closeAfter(new PulsarClient({ serviceUrl: broker.serviceUrl, authToken: broker.token! })),
      'token',
    );
    let calls = 0;
    const supplier = async () => {
      calls++;
      return broker.token!;
    };
    await roundTrip(
      closeAfter(new PulsarClient({ serviceUrl: broker.serviceUrl, authToken: supplier })),
      'token-fn',
    );
    expect(calls).toBeGreaterThan(0);
  });

  it('rejects a missing or invalid token with PULSAR_AUTHENTICATION (not retryable)', async () => {
    const anon = closeAfter(new PulsarClient({ serviceUrl: broker.serviceUrl, operationTimeoutMs: 5_000 }));
    await expect(anon.createProducer({ topic: 'x' })).rejects.toMatchObject({
      code: 'PULSAR_AUTHENTICATION',
      retryable: false,
    });
    const bad = closeAfter(
      new PulsarClient({ serviceUrl: broker.serviceUrl, authToken: 'not-a-jwt', operationTimeoutMs: 5_000 }),
    );
    await expect(bad.createProducer({ topic: 'x' })).rejects.toMatchObject({ code: 'PULSAR_AUTHENTICATION' });
  });

  it('maps a valid token without permission to PULSAR_AUTHORIZATION', async () => {
    const token = createToken({ dataDir, subject: 'nobody' });
    const c = closeAfter(
      new PulsarClient({ serviceUrl: broker.serviceUrl, authToken: token, operationTimeoutMs: 5_000 }),
    );
    await expect(
      c.createProducer({ topic: `persistent://public/default/forbidden-${Date.now()}` }),
    ).rejects.toMatchObject({
      code: 'PULSAR_AUTHORIZATION',
    });
  });

  it('uses the token for the admin API', async () => {
    const admin = new PulsarAdmin({ url: broker.adminUrl, authToken: broker.token! });
    expect(await admin.clusters()).toContain('standalone');
    await expect(new PulsarAdmin({ url: broker.adminUrl }).clusters()).rejects.toMatchObject({
      code: 'PULSAR_AUTHENTICATION',
      status: 401,
    });
  });
});

describe('TLS', () => {
  it('connects over pulsar+ssl:// trusting the broker CA', async () => {
    const ca = fs.readFileSync(broker.tlsTrustCertsFilePath!);
    const client = closeAfter(
      new PulsarClient({ serviceUrl: broker.serviceUrlTls!, authToken: broker.token!, tls: { ca } }),
    );
    await roundTrip(client, 'tls');
  });

  it('refuses a broker certificate it does not trust', async () => {
    const client = closeAfter(
      new PulsarClient({
        serviceUrl: broker.serviceUrlTls!,
        authToken: broker.token!,
        operationTimeoutMs: 3_000,
        connectionTimeoutMs: 3_000,
      }),
    );
    const error = (await client.createProducer({ topic: 'x' }).catch((e: unknown) => e)) as {
      code?: string;
      message?: string;
      cause?: { code?: string; message?: string };
    };
    expect(error.code).toBe('PULSAR_CONNECTION_FAILED');
    // Refused for the certificate, not for any other reason a connection can fail (port, timeout).
    const why = `${error.message} ${error.cause?.code ?? ''} ${error.cause?.message ?? ''}`;
    expect(why).toMatch(/certificate|SELF_SIGNED|UNABLE_TO_VERIFY/i);
  });
});
