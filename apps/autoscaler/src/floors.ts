import type { ConfigOf, Logger } from '@patternmesh/service-kit';
import {
  type CapacityEstimate,
  planFloor,
  type StageForecast,
  type StageObservation,
} from '@patternmesh/forecast';
import type { FloorOutcome, HpaActuator } from '@patternmesh/kube';
import { AttributeKeys, attributesOf, pipelineMetrics } from '@patternmesh/telemetry';
import type { autoscalerSettings } from './config';

export interface FloorRound {
  readonly stage: string;
  readonly hpa: string;
  readonly outcome: FloorOutcome | { readonly status: 'failed'; readonly error: string };
}

/**
 * One planning round: for every stage that has an HPA, plan its floor from the upper bound of the
 * stage's forecast peak over the lead time (`StageForecast`, the backtest's model selection) and hand
 * it to the actuator (which clamps it, writes it, or only reports it in dry-run). A failure on one HPA is
 * logged and does not stop the others: their floors stay as they are, and the HPA keeps scaling.
 */
export async function applyFloors(
  observations: readonly StageObservation[],
  deps: {
    readonly actuator: HpaActuator;
    readonly config: ConfigOf<typeof autoscalerSettings>;
    /** The stage's forecast: the selected model's upper peak over the lead time. */
    readonly forecast: (stage: string) => StageForecast;
    /** The stage's capacity per replica: learned at saturation, else the configured default. */
    readonly capacity: (stage: string) => CapacityEstimate;
    readonly logger: Logger;
  },
): Promise<FloorRound[]> {
  const { config } = deps;
  const rounds: FloorRound[] = [];
  for (const observation of observations) {
    const hpa = config.PATTERNMESH_AUTOSCALER_HPAS[observation.stage];
    if (!hpa) continue;
    const forecast = deps.forecast(observation.stage);
    const capacity = deps.capacity(observation.stage);
    const peak = forecast.upperPeak();
    let learnedFromThisRound = false;
    try {
      const outcome = await deps.actuator.setFloor(hpa, (target) => {
        // Once per round, even when a conflict makes the actuator plan again.
        if (!learnedFromThisRound && target.currentReplicas !== undefined) {
          capacity.observe({
            outRate: observation.outRate,
            readyReplicas: target.currentReplicas,
            ...(observation.backlog !== undefined ? { backlog: observation.backlog } : {}),
          });
          learnedFromThisRound = true;
        }
        const plan = planFloor({
          upperPeak: peak?.value,
          capacityPerReplica: capacity.perReplica().value,
          headroom: config.PATTERNMESH_AUTOSCALER_HEADROOM_PERCENT / 100,
          originalMin: target.originalMin,
          maxReplicas: target.maxReplicas,
          currentMin: target.minReplicas,
          history: forecast.history,
          minHistory: config.PATTERNMESH_AUTOSCALER_MIN_HISTORY,
          dataAgeMs: forecast.dataAgeMs(Date.now()),
          maxDataAgeMs: 3 * config.PATTERNMESH_AUTOSCALER_INTERVAL_MS,
          maxStepDown: config.PATTERNMESH_AUTOSCALER_MAX_STEP_DOWN,
        });
        return {
          floor: plan.floor,
          reason: peak && plan.reason === 'forecast' ? `forecast (${peak.model})` : plan.reason,
          ...(peak ? { forecast: peak.value } : {}),
        };
      });
      rounds.push({ stage: observation.stage, hpa, outcome });
      const stage = attributesOf(AttributeKeys.stage, observation.stage);
      if (peak) pipelineMetrics().autoscalerForecast.record(peak.value, stage);
      const planned =
        outcome.status === 'unchanged' ? outcome.floor : 'to' in outcome ? outcome.to : undefined;
      if (planned !== undefined) pipelineMetrics().autoscalerFloor.record(planned, stage);
      if (outcome.status !== 'unchanged')
        deps.logger.info({ stage: observation.stage, hpa, ...outcome }, 'HPA floor');
    } catch (error) {
      deps.logger.warn(
        { err: error, stage: observation.stage, hpa },
        'HPA floor not applied; the HPA keeps its floor',
      );
      rounds.push({ stage: observation.stage, hpa, outcome: { status: 'failed', error: String(error) } });
    }
  }
  return rounds;
}
