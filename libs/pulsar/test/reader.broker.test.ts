import { describe, expect, it } from 'vitest';
import { MessageId } from '../src/index';
import type { Message, Reader } from '../src/index';
import { newAdmin, newClient, uniqueTopic } from './helpers';

/** Reads until `hasMessageAvailable()` says the reader is at the end (each read within 10 s). */
async function readToEnd(reader: Reader): Promise<string[]> {
  const out: string[] = [];
  while (await reader.hasMessageAvailable()) out.push((await reader.readNext(10_000)).payload.toString());
  return out;
}

async function publish(topic: string, payloads: string[], batched = false): Promise<MessageId[]> {
  const producer = await newClient().createProducer({
    topic,
    batching: batched ? { maxMessages: payloads.length, maxDelayMs: 100 } : { enabled: false },
  });
  const ids = batched ? await Promise.all(payloads.map((payload) => producer.send({ payload }))) : [];
  if (!batched) for (const payload of payloads) ids.push(await producer.send({ payload }));
  await producer.close();
  return ids;
}

describe('readers', () => {
  it("from 'earliest' read everything kept, in order, and know when they are at the end", async () => {
    const topic = uniqueTopic('reader-earliest');
    await publish(topic, ['a', 'b', 'c']);
    const reader = await newClient().createReader({ topic, startMessageId: 'earliest' });
    expect(await readToEnd(reader)).toEqual(['a', 'b', 'c']);
    expect(await reader.hasMessageAvailable()).toBe(false);
    await publish(topic, ['d']);
    expect(await reader.hasMessageAvailable()).toBe(true);
    expect((await reader.readNext(10_000)).payload.toString()).toBe('d');
  });

  it("from 'latest' read only what is published afterwards; inclusive, the last message too", async () => {
    const topic = uniqueTopic('reader-latest');
    await publish(topic, ['old-1', 'old-2']);
    const client = newClient();
    const latest = await client.createReader({ topic, startMessageId: 'latest' });
    const inclusive = await client.createReader({
      topic,
      startMessageId: 'latest',
      startMessageIdInclusive: true,
    });
    expect(await latest.hasMessageAvailable()).toBe(false);
    expect(await inclusive.hasMessageAvailable()).toBe(true);
    await publish(topic, ['new']);
    expect((await latest.readNext(10_000)).payload.toString()).toBe('new');
    expect(await readToEnd(inclusive)).toEqual(['old-2', 'new']);
  });

  for (const batched of [false, true]) {
    it(`from a message id, exclusive by default and inclusive on request (${batched ? 'batched' : 'unbatched'})`, async () => {
      const topic = uniqueTopic('reader-id');
      const ids = await publish(topic, ['m0', 'm1', 'm2', 'm3'], batched);
      if (batched) expect(ids[1]!.batchIndex).toBe(1);
      const client = newClient();
      const exclusive = await client.createReader({ topic, startMessageId: ids[1]! });
      const inclusive = await client.createReader({
        topic,
        startMessageId: ids[1]!,
        startMessageIdInclusive: true,
      });
      expect(await readToEnd(exclusive)).toEqual(['m2', 'm3']);
      expect(await readToEnd(inclusive)).toEqual(['m1', 'm2', 'm3']);
    });
  }

  it('seek by id and by time move the reader', async () => {
    const topic = uniqueTopic('reader-seek');
    const ids = await publish(topic, ['m0', 'm1', 'm2', 'm3']);
    const reader = await newClient().createReader({ topic, startMessageId: 'earliest' });
    expect(await readToEnd(reader)).toEqual(['m0', 'm1', 'm2', 'm3']);
    await reader.seek(ids[2]!);
    expect(await readToEnd(reader)).toEqual(['m2', 'm3']);
    await reader.seek(0);
    expect(await readToEnd(reader)).toEqual(['m0', 'm1', 'm2', 'm3']);
  });

  it('resume after the last message read when the topic moves, with nothing read twice', async () => {
    // A reader acks nothing, so only the client knows its position: the broker restarts the new
    // non-durable subscription at the entry named, and the client must skip that entry.
    const topic = uniqueTopic('reader-resume');
    await publish(
      topic,
      Array.from({ length: 6 }, (_, i) => `m${i}`),
    );
    const reader = await newClient().createReader({ topic, startMessageId: 'earliest' });
    const first: Message[] = [];
    for (let i = 0; i < 3; i++) first.push(await reader.readNext(10_000));
    await newAdmin().unloadTopic(topic);
    await publish(topic, ['m6']);
    const rest = await readToEnd(reader);
    expect([...first.map((m) => m.payload.toString()), ...rest]).toEqual(
      Array.from({ length: 7 }, (_, i) => `m${i}`),
    );
  });

  it('reject a message id on a partitioned topic', async () => {
    const topic = uniqueTopic('reader-partitioned');
    await newAdmin().createPartitionedTopic(topic, 2);
    await expect(
      newClient().createReader({ topic, startMessageId: new MessageId(1, 1, 0) }),
    ).rejects.toMatchObject({ code: 'PULSAR_INVALID_ARGUMENT' });
  });
});
