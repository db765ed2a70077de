import { EmbeddedBus } from '@patternmesh/bus';
import { afterAll } from 'vitest';
import { loadHistorySuite } from './history-suite';

const bus = new EmbeddedBus();
let topics = 0;
afterAll(() => bus.close());

// The embedded bus keeps a compacted topic's latest message per key as it goes.
loadHistorySuite(() => ({
  bus,
  topic: () => `persistent://patternmesh/control/autoscaler-history-${++topics}`,
  compact: async () => undefined,
}));
