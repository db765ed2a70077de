import { randomUUID } from 'node:crypto';
import { PulsarBus } from '@patternmesh/bus-pulsar';
import { compactTopic, deleteTopics } from '@patternmesh/pulsar-tools';
import { afterAll, beforeAll, inject } from 'vitest';
import { loadHistorySuite } from './history-suite';

// On a real broker: the topic holds every version of a bucket until the broker compacts it, and the
// suite compacts in between, so restoring is proven both from the raw log and from the compacted view.
let bus: PulsarBus;
const created: string[] = [];

beforeAll(() => {
  bus = PulsarBus.connect({ serviceUrl: inject('pulsarUrl'), adminUrl: inject('pulsarAdminUrl') });
});

afterAll(async () => {
  await bus.close();
  await deleteTopics(inject('pulsarAdminUrl'), created);
});

loadHistorySuite(() => ({
  bus,
  topic: () => {
    const topic = `persistent://public/default/autoscaler-history-${randomUUID()}`;
    created.push(topic);
    return topic;
  },
  compact: (topic) => compactTopic(inject('pulsarAdminUrl'), topic),
}));
