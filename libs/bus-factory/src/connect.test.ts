import { loadConfig } from '@patternmesh/config';
import { pipelineTopics } from '@patternmesh/pattern';
import { describe, expect, it } from 'vitest';
import { busSettings, connectBus, provisionBus } from './connect';

const logger = { info: () => undefined };
const provisioning = { topics: pipelineTopics(), tenants: [] };

describe('connectBus', () => {
  it('gives the embedded bus by default', async () => {
    const bus = await connectBus(loadConfig(busSettings, {}), logger, provisioning);
    expect(bus.kind).toBe('embedded');
    await bus.close();
  });

  it('gives the Pulsar adapter for PATTERNMESH_BUS=pulsar, which reports backlogs', async () => {
    // No broker needed: the client connects on first use, and provisioning is off.
    const bus = await connectBus(
      loadConfig(busSettings, { PATTERNMESH_BUS: 'pulsar' }),
      logger,
      provisioning,
    );
    expect(bus.kind).toBe('pulsar');
    expect(typeof bus.backlog).toBe('function');
    await bus.close();
  });

  it('refuses an unknown bus when the settings load, naming the choices', () => {
    expect(() => loadConfig(busSettings, { PATTERNMESH_BUS: 'kafka' })).toThrow(/embedded, pulsar/);
  });

  it('provisions nothing for the embedded bus, which keeps no state between processes', async () => {
    expect(await provisionBus(loadConfig(busSettings, {}), logger, provisioning)).toEqual([]);
  });
});
