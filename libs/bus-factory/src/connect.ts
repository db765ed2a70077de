import { EmbeddedBus, type Bus } from '@patternmesh/bus';
import { connectPulsarBus, pulsarSettings, type AdapterLogger } from '@patternmesh/bus-pulsar';
import { setting, type ConfigOf } from '@patternmesh/config';
import { controlTopics, stageInputs, type PipelineTopics } from '@patternmesh/pattern';

/** Which bus a process uses, and each adapter's own settings. */
export const busSettings = {
  PATTERNMESH_BUS: setting.oneOf(
    'message bus: embedded (in-process, this process only) or pulsar',
    ['embedded', 'pulsar'] as const,
    { default: 'embedded' },
  ),
  ...pulsarSettings,
};

export type BusConfig = ConfigOf<typeof busSettings>;

/** What provisioning (where the adapter has it and it is switched on) creates before the bus is used. */
export interface BusProvisioning {
  readonly topics: PipelineTopics;
  /** Customer tenants whose lane namespaces are needed. */
  readonly tenants: readonly string[];
}

/**
 * The one place that maps `PATTERNMESH_BUS` to an adapter. Services, the service kit and the CLI ask
 * for "the bus" and never name a technology; a new adapter is one more case here.
 */
export async function connectBus(
  config: BusConfig,
  logger: AdapterLogger,
  provisioning: BusProvisioning,
): Promise<Bus> {
  switch (config.PATTERNMESH_BUS) {
    case 'embedded':
      return new EmbeddedBus();
    case 'pulsar':
      return connectPulsarBus(config, logger, {
        topics: provisioning.topics,
        tenants: [...new Set(provisioning.tenants)],
        stageSubscriptions: stageInputs(provisioning.topics),
        controlTopics: Object.values(controlTopics(provisioning.topics.tenant)),
      });
  }
}
