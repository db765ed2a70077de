import { KubeConfig } from '@kubernetes/client-node';
import { HpaActuator } from '@patternmesh/kube';
import { autoscalerHistoryTopic, stageInputs } from '@patternmesh/pattern';
import { defineService } from '@patternmesh/service-kit';
import { createAutoscaler, type AutoscalerDeps } from './app';
import { busBacklogSource, combineSources } from './bus-backlog';
import { autoscalerSettings } from './config';
import { LoadHistory } from './history';
import { grpcLoadSource, type LoadSource } from './load-source';

/**
 * The autoscaler reads the stages' load from their TelemetryService (the targets named in its
 * settings) or, when it shares a process with them (the all-in-one), from the host directly; the bus
 * adds each stage's input backlog where it reports one.
 */
export interface AutoscalerServiceOptions {
  readonly onObservation?: AutoscalerDeps['onObservation'];
  readonly onFloors?: AutoscalerDeps['onFloors'];
  /** The cluster's API (default: in-cluster credentials, else $KUBECONFIG, as kubectl finds it). */
  readonly kubeConfig?: KubeConfig;
}

export function createAutoscalerService(options: AutoscalerServiceOptions = {}) {
  return defineService({
    name: 'autoscaler',
    summary: 'samples per-stage load and backlog, forecasts the input rate, raises HPA floors ahead of it',
    settings: autoscalerSettings,
    build: ({ config, logger, bus, topics, localLoad }) => {
      const targets = config.PATTERNMESH_TELEMETRY_TARGETS.split(',')
        .map((t) => t.trim())
        .filter(Boolean);
      let telemetry: LoadSource = async () => localLoad();
      let close = (): void => undefined;
      if (targets.length > 0) {
        const remote = grpcLoadSource(targets);
        telemetry = remote.source;
        close = remote.close;
      } else if (localLoad().length === 0) {
        logger.warn('PATTERNMESH_TELEMETRY_TARGETS is empty and no stage runs here: only bus figures');
      }
      const source = combineSources(telemetry, busBacklogSource(bus, stageInputs(topics)));
      const namespace = config.PATTERNMESH_AUTOSCALER_NAMESPACE;
      let actuator: HpaActuator | undefined;
      if (namespace) {
        const kubeConfig = options.kubeConfig ?? defaultKubeConfig();
        actuator = new HpaActuator({
          kubeConfig,
          namespace,
          optInLabel: config.PATTERNMESH_AUTOSCALER_OPT_IN_LABEL,
          dryRun: config.PATTERNMESH_AUTOSCALER_DRY_RUN,
        });
      }
      const keepSteps = config.PATTERNMESH_AUTOSCALER_HISTORY_STEPS;
      const history =
        keepSteps > 0
          ? new LoadHistory({
              bus,
              topic: autoscalerHistoryTopic(topics.tenant),
              stepMs: config.PATTERNMESH_AUTOSCALER_STEP_MS,
              keepSteps,
              logger,
            })
          : undefined;
      const { onObservation, onFloors } = options;
      return createAutoscaler({
        logger,
        source,
        config,
        close,
        ...(history ? { history } : {}),
        ...(actuator ? { actuator } : {}),
        ...(onObservation ? { onObservation } : {}),
        ...(onFloors ? { onFloors } : {}),
      });
    },
  });
}

function defaultKubeConfig(): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromDefault();
  return kc;
}

export const autoscalerService = createAutoscalerService();
