import type { V2HorizontalPodAutoscaler } from '@kubernetes/client-node';

/**
 * Who else drives an HPA. KEDA creates the HPA of a ScaledObject (owner reference, and the
 * `scaledobject.keda.sh/name` label); Crane's EffectiveHorizontalPodAutoscaler owns the HPA it manages.
 * Another controller would overwrite our floor on its next reconcile (or we its), so such an HPA is
 * left alone and reported.
 */
export function foreignController(hpa: V2HorizontalPodAutoscaler): string | undefined {
  const controller =
    hpa.metadata?.ownerReferences?.find((o) => o.controller) ?? hpa.metadata?.ownerReferences?.[0];
  if (controller) return `${controller.kind} ${controller.name} (${controller.apiVersion})`;
  const labels = hpa.metadata?.labels ?? {};
  if (labels['scaledobject.keda.sh/name']) return `KEDA ScaledObject ${labels['scaledobject.keda.sh/name']}`;
  if (labels['app.kubernetes.io/managed-by'] === 'keda-operator') return 'KEDA (managed-by label)';
  return undefined;
}
