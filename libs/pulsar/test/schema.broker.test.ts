import { describe, expect, it } from 'vitest';
import { newAdmin, newClient, uniqueTopic } from './helpers';

/** Avro record schemas as the Java client writes them for JSON/AVRO types. */
const orderV1 = JSON.stringify({
  type: 'record',
  name: 'Order',
  fields: [{ name: 'id', type: 'string' }],
});
/** v1 plus an optional field with a default: compatible both ways. */
const orderV2 = JSON.stringify({
  type: 'record',
  name: 'Order',
  fields: [
    { name: 'id', type: 'string' },
    { name: 'note', type: ['null', 'string'], default: null },
  ],
});

const version = (bytes: Uint8Array | undefined) => (bytes ? Buffer.from(bytes).readBigUInt64BE() : undefined);

describe('schema registry', () => {
  it('registers a producer schema, stamps its version on messages and refuses an incompatible one', async () => {
    const topic = uniqueTopic('schema');
    const admin = newAdmin();
    expect(await admin.getSchema(topic)).toBeUndefined();
    const client = newClient();
    const consumer = await client.subscribe({ topic, subscription: 's', initialPosition: 'earliest' });

    const v1 = await client.createProducer({
      topic,
      schema: { type: 'AVRO', name: 'order', data: orderV1, properties: { team: 'billing' } },
    });
    const registered = await admin.getSchema(topic);
    expect(registered).toMatchObject({ type: 'AVRO', version: 0, properties: { team: 'billing' } });
    expect(JSON.parse(registered!.data)).toEqual(JSON.parse(orderV1));
    expect(version(v1.schemaVersion)).toBe(0n);

    // A compatible evolution is a new version; its producer stamps that one.
    const v2 = await client.createProducer({ topic, schema: { type: 'AVRO', data: orderV2 } });
    expect(version(v2.schemaVersion)).toBe(1n);
    expect((await admin.getSchema(topic))!.version).toBe(1);
    expect((await admin.getSchema(topic, 0))!.version).toBe(0);

    await v1.send({ payload: 'batched-v1' });
    await v2.send({ payload: 'batched-v2' });
    const seen = [await consumer.receive(30_000), await consumer.receive(30_000)].map((m) => [
      m.payload.toString(),
      version(m.schemaVersion),
    ]);
    expect(seen).toEqual([
      ['batched-v1', 0n],
      ['batched-v2', 1n],
    ]);

    // Another type on the same topic is refused by the registry, and says so.
    await expect(client.createProducer({ topic, schema: { type: 'STRING' } })).rejects.toMatchObject({
      code: 'PULSAR_INCOMPATIBLE_SCHEMA',
      serverError: 'IncompatibleSchema',
      retryable: false,
    });
    // A producer without a schema still may publish (the broker does not enforce schemas by default).
    const raw = await client.createProducer({ topic });
    expect(raw.schemaVersion).toBeUndefined();
    await raw.send({ payload: 'raw' });
    const last = await consumer.receive(30_000);
    expect([last.payload.toString(), last.schemaVersion]).toEqual(['raw', undefined]);
  });

  it('refuses a consumer whose schema is incompatible with the topic', async () => {
    const topic = uniqueTopic('schema-consumer');
    const client = newClient();
    await client.createProducer({ topic, schema: { type: 'AVRO', data: orderV1 } });
    await expect(
      client.subscribe({ topic, subscription: 's', schema: { type: 'STRING' } }),
    ).rejects.toMatchObject({ code: 'PULSAR_INCOMPATIBLE_SCHEMA' });
    const same = await client.subscribe({
      topic,
      subscription: 's',
      schema: { type: 'AVRO', data: orderV1 },
    });
    await same.close();
  });
});
