import { HoltForecaster } from './holt';

export interface StageRate {
  readonly stage: string;
  readonly inRate: number;
  readonly outRate: number;
  readonly inFlight: number;
  /** Messages waiting in the stage's input subscription, when the bus reports it. */
  readonly backlog?: number;
}

export interface StageObservation extends StageRate {
  /** Forecast input rate `horizonSteps` observations ahead; undefined until there is data. */
  readonly forecastInRate: number | undefined;
}

/** Keeps one forecaster per stage and turns load samples into observations with a forecast. */
export class LoadObserver {
  private readonly forecasters = new Map<string, HoltForecaster>();

  constructor(private readonly horizonSteps = 6) {}

  /** Observations of a stage so far: how much history its forecast rests on. */
  history(stage: string): number {
    return this.forecasters.get(stage)?.observations ?? 0;
  }

  observe(samples: readonly StageRate[]): StageObservation[] {
    return samples.map((sample) => {
      let forecaster = this.forecasters.get(sample.stage);
      if (!forecaster) {
        forecaster = new HoltForecaster();
        this.forecasters.set(sample.stage, forecaster);
      }
      forecaster.observe(sample.inRate);
      return { ...sample, forecastInRate: forecaster.forecast(this.horizonSteps) };
    });
  }
}
