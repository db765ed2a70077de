import { randomBytes } from 'node:crypto';
import { PulsarAdmin } from '@patternmesh/pulsar';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { PulsarBus } from './pulsar-bus';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close().catch(() => {});
});

const uniqueTopic = (name: string) =>
  `persistent://public/default/${name}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
const message = (text: string) => ({ payload: Buffer.from(text) });

describe('PulsarBus producers', () => {
  it('says a topic is terminated, and publishes again once the topic exists anew', async () => {
    const topic = uniqueTopic('terminated');
    const admin = new PulsarAdmin({ url: inject('pulsarAdminUrl') });
    const bus = await PulsarBus.connect({ serviceUrl: inject('pulsarUrl') });
    closers.push(() => bus.close());
    await bus.publish(topic, message('before'));

    await admin.terminateTopic(topic);
    // Every publish says why, not only the first.
    for (let i = 0; i < 2; i++) {
      await expect(bus.publish(topic, message('after the end'))).rejects.toMatchObject({
        code: 'PUBLISH_FAILED',
        message: expect.stringMatching(/terminated/i),
      });
    }

    // An operator deletes the terminated topic; the next publish creates it again. A bus that kept its
    // terminated producer would refuse every publish to this topic until restarted.
    await admin.deleteTopic(topic, true);
    expect(await bus.publish(topic, message('new topic'))).toMatch(/\d+:\d+/);
  });
});
