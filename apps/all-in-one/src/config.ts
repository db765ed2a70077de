import { createAutoscalerService } from '@patternmesh/autoscaler';
import { classifierService } from '@patternmesh/classifier';
import { ingestGatewayService } from '@patternmesh/ingest-gateway';
import { normalizerService } from '@patternmesh/normalizer';
import { routerService } from '@patternmesh/router';
import { loadServicesConfig, type ServiceDefinition } from '@patternmesh/service-kit';
import type { StageObservation } from '@patternmesh/forecast';
import { tailService } from './tail-service';

/** The five services plus the tail endpoint, in pipeline order (they drain in this order). */
export function allInOneServices(
  options: { onObservation?: (observations: StageObservation[]) => void } = {},
): ServiceDefinition[] {
  return [
    ingestGatewayService,
    normalizerService,
    classifierService,
    routerService,
    createAutoscalerService(options),
    tailService,
  ] as ServiceDefinition[];
}

/** Every setting of every service, validated together: one run, one list of problems. */
export const loadAllInOneConfig = (env?: Record<string, string | undefined>) =>
  loadServicesConfig(allInOneServices(), env);

export type AllInOneConfig = ReturnType<typeof loadAllInOneConfig>;
