/**
 * What the autoscaler writes on an HPA besides `spec.minReplicas`: enough to see, from the HPA alone, what
 * floor it had before, what the forecast was and why the floor is what it is. GitOps users should tell
 * their tool to ignore `spec.minReplicas` on opted-in HPAs (e.g. Argo CD `ignoreDifferences`).
 */
export const FloorAnnotations = {
  originalMinReplicas: 'patternmesh.io/original-min-replicas',
  forecast: 'patternmesh.io/forecast',
  reason: 'patternmesh.io/floor-reason',
  updatedAt: 'patternmesh.io/floor-updated-at',
} as const;

/** The label value that opts an HPA in (the chart sets `<optInLabel>: enabled`). */
export const OPT_IN_VALUE = 'enabled';
