// Test identities and fixtures on the local API server: a ServiceAccount bound to a Role, with a client
// that authenticates as it (a TokenRequest token), and the HPA shape the chart renders.
import {
  CoreV1Api,
  KubeConfig,
  RbacAuthorizationV1Api,
  type V1PolicyRule,
  type V2HorizontalPodAutoscaler,
} from '@kubernetes/client-node';
import { SERVICE_ACCOUNT_ISSUER } from './cluster';

/** A client configuration for the same cluster that authenticates with `token` (a bearer token). */
export function kubeConfigWithToken(admin: KubeConfig, token: string, user = 'token-user'): KubeConfig {
  const cluster = admin.getCurrentCluster()!;
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [cluster],
    users: [{ name: user, token }],
    contexts: [{ name: user, cluster: cluster.name, user }],
    currentContext: user,
  });
  return kc;
}

export interface ServiceAccountClient {
  readonly kubeConfig: KubeConfig;
  readonly token: string;
  /** `system:serviceaccount:<namespace>:<name>` */
  readonly user: string;
}

/**
 * Creates a ServiceAccount, a Role with `rules` and the RoleBinding between them in `namespace`, and
 * returns a client that acts as the ServiceAccount: what a pod with that ServiceAccount could do.
 */
export async function serviceAccountClient(
  admin: KubeConfig,
  namespace: string,
  name: string,
  rules: V1PolicyRule[],
): Promise<ServiceAccountClient> {
  const core = admin.makeApiClient(CoreV1Api);
  const rbac = admin.makeApiClient(RbacAuthorizationV1Api);
  await core.createNamespacedServiceAccount({ namespace, body: { metadata: { name } } });
  await rbac.createNamespacedRole({ namespace, body: { metadata: { name }, rules } });
  await rbac.createNamespacedRoleBinding({
    namespace,
    body: {
      metadata: { name },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
      subjects: [{ kind: 'ServiceAccount', name, namespace }],
    },
  });
  const request = await core.createNamespacedServiceAccountToken({
    name,
    namespace,
    body: { spec: { audiences: [SERVICE_ACCOUNT_ISSUER], expirationSeconds: 600 } },
  });
  const token = request.status!.token!;
  return {
    kubeConfig: kubeConfigWithToken(admin, token, name),
    token,
    user: `system:serviceaccount:${namespace}:${name}`,
  };
}

/** The chart's Role for the autoscaler: HPAs (get/list/watch/patch) and Events (create). */
export const AUTOSCALER_RULES: V1PolicyRule[] = [
  {
    apiGroups: ['autoscaling'],
    resources: ['horizontalpodautoscalers'],
    verbs: ['get', 'list', 'watch', 'patch'],
  },
  { apiGroups: [''], resources: ['events'], verbs: ['create'] },
  { apiGroups: ['events.k8s.io'], resources: ['events'], verbs: ['create'] },
];

/** An autoscaling/v2 HPA on a Deployment of the same name, scaling on CPU, as the chart renders it. */
export function anHpa(
  name: string,
  {
    labels = {},
    minReplicas = 2,
    maxReplicas = 20,
  }: { labels?: Record<string, string>; minReplicas?: number; maxReplicas?: number } = {},
): V2HorizontalPodAutoscaler {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name, labels },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
      minReplicas,
      maxReplicas,
      metrics: [
        {
          type: 'Resource',
          resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } },
        },
      ],
    },
  };
}
