import type { Bus } from '@patternmesh/bus';
import type { StageObservation } from '@patternmesh/forecast';
import { startServices, type Logger, type RunningServices } from '@patternmesh/service-kit';
import { allInOneServices, type AllInOneConfig } from './config';

export { allInOneServices, loadAllInOneConfig, type AllInOneConfig } from './config';

export interface AllInOneOptions {
  readonly config: AllInOneConfig;
  readonly logger: Logger;
  /** Defaults to the bus the config names. */
  readonly bus?: Bus;
  readonly onObservation?: (observations: StageObservation[]) => void;
}

export type AllInOne = RunningServices;

/**
 * All five services in one process over one bus, behind one HTTP port and one gRPC port, plus the
 * tail endpoint. Stages talk only through the bus, exactly as they do when deployed apart.
 */
export function startAllInOne(options: AllInOneOptions): Promise<AllInOne> {
  return startServices(
    allInOneServices(options.onObservation ? { onObservation: options.onObservation } : {}),
    { config: options.config, logger: options.logger, ...(options.bus ? { bus: options.bus } : {}) },
  );
}
