import { describe, expect, it } from 'vitest';
import { busBacklogSource, combineSources } from '../src/bus-backlog';

describe('bus backlog as a load source', () => {
  const inputs = [{ stage: 'normalize', topic: 'persistent://t/pipeline/raw', subscription: 'normalizer' }];

  it('maps the bus figures onto stages and adds the backlog to what the services report', async () => {
    const bus = {
      backlog: async () => [
        {
          topic: inputs[0]!.topic,
          subscription: 'normalizer',
          inRate: 9,
          outRate: 8,
          unacked: 2,
          backlog: 7,
        },
        { topic: 'persistent://t/other/x', subscription: 'y', inRate: 1, outRate: 1, unacked: 0, backlog: 1 },
      ],
    };
    const combined = combineSources(
      async () => [{ stage: 'normalize', inRate: 3, outRate: 2, inFlight: 1 }],
      busBacklogSource(bus, inputs),
    );
    expect(await combined()).toEqual([
      { stage: 'normalize', inRate: 3, outRate: 2, inFlight: 1, backlog: 7 },
    ]);
  });

  it('keeps the services’ figures when the bus has none or fails', async () => {
    const services = async () => [{ stage: 'route', inRate: 1, outRate: 1, inFlight: 0 }];
    expect(await combineSources(services, busBacklogSource({}, inputs))()).toEqual(await services());
    const failing = {
      backlog: async () => {
        throw new Error('admin API down');
      },
    };
    expect(await combineSources(services, busBacklogSource(failing, inputs))()).toEqual(await services());
  });
});
