import { LoadObserver, type StageObservation } from '@patternmesh/forecast';
import type { ConfigOf, Logger, ServiceModule } from '@patternmesh/service-kit';
import type { autoscalerSettings } from './config';
import type { LoadSource } from './load-source';

export interface AutoscalerDeps {
  readonly logger: Logger;
  readonly source: LoadSource;
  readonly config: ConfigOf<typeof autoscalerSettings>;
  /** Told about every observation round (tests, the console). */
  readonly onObservation?: (observations: StageObservation[]) => void;
  /** Releases the source's connections on drain. */
  readonly close?: () => void;
}

/**
 * The autoscaler, first version: samples per-stage load on an interval, forecasts each stage's input
 * rate, and logs both. Only dry-run exists so far; patching HPAs comes with the Kubernetes actuator.
 */
export function createAutoscaler(deps: AutoscalerDeps): ServiceModule {
  if (!deps.config.PATTERNMESH_AUTOSCALER_DRY_RUN) {
    throw new Error(
      'PATTERNMESH_AUTOSCALER_DRY_RUN=false is not supported yet: the HPA actuator is not built',
    );
  }
  const observer = new LoadObserver();
  let timer: NodeJS.Timeout | undefined;
  let round: Promise<void> | undefined;

  const sample = async (): Promise<void> => {
    try {
      const observations = observer.observe(await deps.source());
      deps.onObservation?.(observations);
      deps.logger.info(
        {
          dryRun: true,
          stages: Object.fromEntries(
            observations.map((o) => [
              o.stage,
              {
                inRate: round2(o.inRate),
                outRate: round2(o.outRate),
                inFlight: o.inFlight,
                ...(o.backlog !== undefined ? { backlog: o.backlog } : {}),
                forecastInRate: round2(o.forecastInRate),
              },
            ]),
          ),
        },
        'observed load',
      );
    } catch (error) {
      deps.logger.warn({ err: error }, 'load sample failed; keeping current capacity');
    }
  };

  return {
    name: 'autoscaler',
    start: async () => {
      timer = setInterval(() => {
        round ??= sample().finally(() => (round = undefined));
      }, deps.config.PATTERNMESH_AUTOSCALER_INTERVAL_MS);
      timer.unref();
    },
    drain: async () => {
      clearInterval(timer);
      await round;
      deps.close?.();
    },
  };
}

function round2(n: number | undefined): number | undefined {
  return n === undefined ? undefined : Math.round(n * 100) / 100;
}
