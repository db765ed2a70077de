import { CapacityEstimate, LoadObserver, StageForecast, type StageObservation } from '@patternmesh/forecast';
import type { HpaActuator } from '@patternmesh/kube';
import { AttributeKeys, attributesOf, pipelineMetrics } from '@patternmesh/telemetry';
import type { ConfigOf, Logger, ServiceModule } from '@patternmesh/service-kit';
import type { autoscalerSettings } from './config';
import { applyFloors, type FloorRound } from './floors';
import type { LoadHistory } from './history';
import type { LoadSource } from './load-source';

export interface AutoscalerDeps {
  readonly logger: Logger;
  readonly source: LoadSource;
  readonly config: ConfigOf<typeof autoscalerSettings>;
  /** Told about every observation round (tests, the console). */
  readonly onObservation?: (observations: StageObservation[]) => void;
  /** Told about every planning round's floors (tests, the console). */
  readonly onFloors?: (rounds: FloorRound[]) => void;
  /** Drives the HPAs' floors; without one (no namespace configured) the forecast is only logged. */
  readonly actuator?: HpaActuator;
  /** Where each stage's steps are kept across restarts; without one, history starts empty. */
  readonly history?: LoadHistory;
  /** Releases the source's connections on drain. */
  readonly close?: () => void;
}

/**
 * The autoscaler: samples per-stage load on an interval, forecasts each stage's input rate, logs both,
 * and, with an actuator, plans each stage's HPA floor (`planFloor`) and applies it (only reports it in
 * dry-run). The HPA keeps scaling reactively above the floor.
 */
export function createAutoscaler(deps: AutoscalerDeps): ServiceModule {
  const observer = new LoadObserver();
  const forecasts = new Map<string, StageForecast>();
  const capacities = new Map<string, CapacityEstimate>();
  const capacityOf = (stage: string): CapacityEstimate => {
    let capacity = capacities.get(stage);
    if (!capacity) {
      capacity = new CapacityEstimate({
        defaultPerReplica: deps.config.PATTERNMESH_AUTOSCALER_CAPACITY_PER_REPLICA,
      });
      capacities.set(stage, capacity);
    }
    return capacity;
  };
  const forecastOf = (stage: string): StageForecast => {
    let forecast = forecasts.get(stage);
    if (!forecast) {
      const { history } = deps;
      forecast = new StageForecast({
        stepMs: deps.config.PATTERNMESH_AUTOSCALER_STEP_MS,
        leadMs: deps.config.PATTERNMESH_AUTOSCALER_LEAD_SECONDS * 1000,
        ...(history ? { onStep: (start, value) => history.record(stage, start, value) } : {}),
      });
      forecasts.set(stage, forecast);
    }
    return forecast;
  };
  let timer: NodeJS.Timeout | undefined;
  let round: Promise<void> | undefined;

  const sample = async (): Promise<void> => {
    try {
      const observations = observer.observe(await deps.source());
      const now = Date.now();
      for (const o of observations) {
        forecastOf(o.stage).add(o.inRate, now);
        pipelineMetrics().autoscalerObservedRate.record(o.inRate, attributesOf(AttributeKeys.stage, o.stage));
      }
      await deps.history?.flush();
      deps.onObservation?.(observations);
      deps.logger.info(
        {
          dryRun: deps.config.PATTERNMESH_AUTOSCALER_DRY_RUN,
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
      if (deps.actuator) {
        const rounds = await applyFloors(observations, {
          actuator: deps.actuator,
          config: deps.config,
          forecast: forecastOf,
          capacity: capacityOf,
          logger: deps.logger,
        });
        deps.onFloors?.(rounds);
      }
    } catch (error) {
      deps.logger.warn({ err: error }, 'load sample failed; keeping current capacity');
    }
  };

  /** Each stage's kept steps, learned from before the first live sample. */
  const restore = async (history: LoadHistory): Promise<void> => {
    try {
      const restored = await history.restore();
      for (const [stage, series] of restored) forecastOf(stage).restore(series.start, series.values);
      deps.logger.info(
        {
          stages: Object.fromEntries([...restored.keys()].map((stage) => [stage, forecastOf(stage).history])),
        },
        'load history restored (steps with data per stage)',
      );
    } catch (error) {
      deps.logger.warn({ err: error }, 'load history not read; forecasts start from nothing');
    }
  };

  return {
    name: 'autoscaler',
    start: async () => {
      if (deps.history) await restore(deps.history);
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
