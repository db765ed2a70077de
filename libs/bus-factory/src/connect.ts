import { EmbeddedBus, type Bus } from '@patternmesh/bus';
import {
  connectPulsarBus,
  provisionPulsarFromSettings,
  pulsarSettings,
  type AdapterLogger,
} from '@patternmesh/bus-pulsar';
import { setting, type ConfigOf } from '@patternmesh/config';
import {
  autoscalerHistoryTopic,
  controlTopics,
  stageInputs,
  type PipelineTopics,
} from '@patternmesh/pattern';

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
/** What the Pulsar adapter provisions for these topics and tenants. */
function pulsarProvisioning(provisioning: BusProvisioning) {
  return {
    topics: provisioning.topics,
    tenants: [...new Set(provisioning.tenants)],
    stageSubscriptions: stageInputs(provisioning.topics),
    controlTopics: [
      ...Object.values(controlTopics(provisioning.topics.tenant)),
      autoscalerHistoryTopic(provisioning.topics.tenant),
    ],
  };
}

/**
 * Provisioning alone, without connecting (`patternmesh provision`, the chart's hook Job). Returns what
 * was ensured; an adapter without provisioning (embedded) has nothing to create.
 */
export async function provisionBus(
  config: BusConfig,
  logger: AdapterLogger,
  provisioning: BusProvisioning,
): Promise<string[]> {
  switch (config.PATTERNMESH_BUS) {
    case 'embedded':
      return [];
    case 'pulsar':
      return provisionPulsarFromSettings(config, logger, pulsarProvisioning(provisioning));
  }
}

export async function connectBus(
  config: BusConfig,
  logger: AdapterLogger,
  provisioning: BusProvisioning,
): Promise<Bus> {
  switch (config.PATTERNMESH_BUS) {
    case 'embedded':
      return new EmbeddedBus();
    case 'pulsar':
      return connectPulsarBus(config, logger, pulsarProvisioning(provisioning));
  }
}
