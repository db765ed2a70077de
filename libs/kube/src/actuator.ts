import { hostname } from 'node:os';
import {
  AutoscalingV2Api,
  CoreV1Api,
  type KubeConfig,
  PatchStrategy,
  type V2HorizontalPodAutoscaler,
  setHeaderOptions,
} from '@kubernetes/client-node';
import { FloorAnnotations, OPT_IN_VALUE } from './annotations';
import { foreignController } from './ownership';

/** An opted-in HPA as the planner needs it. */
export interface HpaTarget {
  readonly name: string;
  readonly minReplicas: number;
  readonly maxReplicas: number;
  /** minReplicas before the autoscaler first raised it (from the annotation), else the current one. */
  readonly originalMin: number;
  /** Replicas the HPA controller last reported running (status), when it has reported. */
  readonly currentReplicas?: number;
  /** Set when another controller (KEDA, Crane) owns the HPA: it is reported, never patched. */
  readonly foreignController?: string;
}

export interface FloorDecision {
  readonly floor: number;
  readonly reason: string;
  /** The forecast the floor was planned for (events/s), recorded in an annotation. */
  readonly forecast?: number;
}

export type FloorOutcome =
  | { readonly status: 'patched'; readonly from: number; readonly to: number; readonly attempts: number }
  | { readonly status: 'dry-run'; readonly from: number; readonly to: number }
  | { readonly status: 'unchanged'; readonly floor: number }
  | { readonly status: 'skipped'; readonly why: string };

export interface HpaActuatorOptions {
  readonly kubeConfig: KubeConfig;
  readonly namespace: string;
  /** Label whose value `enabled` opts an HPA in (the chart's `autoscaler.optInLabel`). */
  readonly optInLabel: string;
  /** Plan and report, never patch (the default in the chart). */
  readonly dryRun: boolean;
  /** Writes that lost a race with another writer (409 Conflict) are re-read, re-planned and retried this often. */
  readonly maxConflictRetries?: number;
  /** Source component of the Events. */
  readonly component?: string;
  /** Called after each read of an HPA, before the patch: the seam a test uses to race the actuator. */
  readonly afterRead?: (hpa: V2HorizontalPodAutoscaler) => Promise<void>;
}

const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

function statusCode(error: unknown): number | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? Number(error.code) : undefined;
}

function targetOf(hpa: V2HorizontalPodAutoscaler): HpaTarget {
  const minReplicas = hpa.spec?.minReplicas ?? 1;
  const annotated = Number(hpa.metadata?.annotations?.[FloorAnnotations.originalMinReplicas]);
  const owner = foreignController(hpa);
  return {
    name: hpa.metadata!.name!,
    minReplicas,
    maxReplicas: hpa.spec!.maxReplicas,
    originalMin: Number.isInteger(annotated) && annotated > 0 ? annotated : minReplicas,
    ...(hpa.status?.currentReplicas !== undefined ? { currentReplicas: hpa.status.currentReplicas } : {}),
    ...(owner ? { foreignController: owner } : {}),
  };
}

/**
 * Raises and lowers the floor (`spec.minReplicas`) of opted-in HPAs, and nothing else: the HPA keeps
 * scaling reactively above it. Each write is a JSON merge patch that names the resourceVersion it was
 * planned from, so a concurrent writer makes it fail with 409 instead of being overwritten; it is then
 * re-read and re-planned. Each change is annotated on the HPA and recorded as a Kubernetes Event. Its
 * RBAC: get/list/watch/patch on HPAs and create on Events, in one namespace.
 */
export class HpaActuator {
  private readonly autoscaling: AutoscalingV2Api;
  private readonly core: CoreV1Api;

  constructor(private readonly options: HpaActuatorOptions) {
    this.autoscaling = options.kubeConfig.makeApiClient(AutoscalingV2Api);
    this.core = options.kubeConfig.makeApiClient(CoreV1Api);
  }

  /** Every opted-in HPA of the namespace, foreign-owned ones included (flagged). */
  async targets(): Promise<HpaTarget[]> {
    const list = await this.autoscaling.listNamespacedHorizontalPodAutoscaler({
      namespace: this.options.namespace,
      labelSelector: `${this.options.optInLabel}=${OPT_IN_VALUE}`,
    });
    return list.items.map(targetOf);
  }

  /**
   * Plans with `plan` from the HPA as it is now and applies the floor it returns, clamped to
   * [originalMin, maxReplicas]; on a conflict, plans again from the fresh HPA.
   */
  async setFloor(name: string, plan: (target: HpaTarget) => FloorDecision): Promise<FloorOutcome> {
    const retries = this.options.maxConflictRetries ?? 5;
    for (let attempt = 1; ; attempt++) {
      const hpa = await this.autoscaling.readNamespacedHorizontalPodAutoscaler({
        name,
        namespace: this.options.namespace,
      });
      if (hpa.metadata?.labels?.[this.options.optInLabel] !== OPT_IN_VALUE) {
        return { status: 'skipped', why: `not opted in (label ${this.options.optInLabel}=${OPT_IN_VALUE})` };
      }
      const target = targetOf(hpa);
      if (target.foreignController) return { status: 'skipped', why: `owned by ${target.foreignController}` };
      const decision = plan(target);
      const floor = Math.min(target.maxReplicas, Math.max(target.originalMin, Math.round(decision.floor)));
      if (floor === target.minReplicas) return { status: 'unchanged', floor };
      if (this.options.dryRun) return { status: 'dry-run', from: target.minReplicas, to: floor };
      await this.options.afterRead?.(hpa);
      try {
        await this.patch(hpa, target, floor, decision);
      } catch (error) {
        if (statusCode(error) === 409 && attempt <= retries) continue;
        throw error;
      }
      await this.recordEvent(hpa, target.minReplicas, floor, decision);
      return { status: 'patched', from: target.minReplicas, to: floor, attempts: attempt };
    }
  }

  private async patch(
    hpa: V2HorizontalPodAutoscaler,
    target: HpaTarget,
    floor: number,
    decision: FloorDecision,
  ): Promise<void> {
    const annotations: Record<string, string> = {
      [FloorAnnotations.originalMinReplicas]: String(target.originalMin),
      [FloorAnnotations.reason]: decision.reason,
      [FloorAnnotations.updatedAt]: new Date().toISOString(),
    };
    if (decision.forecast !== undefined)
      annotations[FloorAnnotations.forecast] = decision.forecast.toFixed(2);
    await this.autoscaling.patchNamespacedHorizontalPodAutoscaler(
      {
        name: target.name,
        namespace: this.options.namespace,
        // The resourceVersion makes the merge patch a compare-and-swap.
        body: {
          metadata: { resourceVersion: hpa.metadata!.resourceVersion, annotations },
          spec: { minReplicas: floor },
        },
      },
      mergePatch,
    );
  }

  private async recordEvent(
    hpa: V2HorizontalPodAutoscaler,
    from: number,
    to: number,
    decision: FloorDecision,
  ): Promise<void> {
    const now = new Date();
    const forecast = decision.forecast !== undefined ? `, forecast ${decision.forecast.toFixed(1)}/s` : '';
    await this.core.createNamespacedEvent({
      namespace: this.options.namespace,
      body: {
        metadata: { generateName: `${hpa.metadata!.name}.floor-` },
        involvedObject: {
          apiVersion: 'autoscaling/v2',
          kind: 'HorizontalPodAutoscaler',
          name: hpa.metadata!.name!,
          namespace: this.options.namespace,
          uid: hpa.metadata!.uid!,
        },
        type: 'Normal',
        reason: to > from ? 'FloorRaised' : 'FloorLowered',
        message: `minReplicas ${from} → ${to} (${decision.reason}${forecast})`,
        source: { component: this.options.component ?? 'patternmesh-autoscaler' },
        reportingComponent: this.options.component ?? 'patternmesh-autoscaler',
        // In a pod, the host name is the pod's name.
        reportingInstance: hostname(),
        firstTimestamp: now,
        lastTimestamp: now,
        count: 1,
      },
    });
  }
}
