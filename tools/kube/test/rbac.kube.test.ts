// Least privilege, judged by the real authorizer: a ServiceAccount whose Role allows get/list/watch/patch
// on HPAs (the autoscaler's grant) can patch an HPA with its own token, and is refused with 403 for
// anything else — another verb, another resource, another namespace.
import {
  AppsV1Api,
  AutoscalingV2Api,
  CoreV1Api,
  type KubeConfig,
  PatchStrategy,
  setHeaderOptions,
} from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { SERVICE_ACCOUNT_ISSUER } from '../src/cluster';
import { kubeConfigWithToken, serviceAccountClient } from '../src/identities';
import { type TestNamespace, createTestNamespace } from '../src/namespace';
import { deployment, hpa, rejection } from './fixtures';

const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

describe('a ServiceAccount token outside its Role', () => {
  let ns: TestNamespace;
  let other: TestNamespace;
  let sa: KubeConfig;
  let token: string;

  beforeAll(async () => {
    const kubeconfig = inject('kubeconfig');
    [ns, other] = await Promise.all([
      createTestNamespace(kubeconfig, 'rbac'),
      createTestNamespace(kubeconfig, 'rbac-other'),
    ]);
    const admin = ns.kubeConfig;
    const autoscaling = admin.makeApiClient(AutoscalingV2Api);
    for (const n of [ns.name, other.name]) {
      await admin
        .makeApiClient(AppsV1Api)
        .createNamespacedDeployment({ namespace: n, body: deployment('router') });
      await autoscaling.createNamespacedHorizontalPodAutoscaler({ namespace: n, body: hpa('router') });
    }
    const client = await serviceAccountClient(admin, ns.name, 'autoscaler', [
      {
        apiGroups: ['autoscaling'],
        resources: ['horizontalpodautoscalers'],
        verbs: ['get', 'list', 'watch', 'patch'],
      },
      { apiGroups: [''], resources: ['events'], verbs: ['create'] },
    ]);
    token = client.token;
    sa = client.kubeConfig;
  });
  afterAll(() => Promise.all([ns?.delete(), other?.delete()]));

  it('is a signed token for that ServiceAccount', () => {
    const payload = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as {
      sub: string;
      iss: string;
    };
    expect(payload.sub).toBe(`system:serviceaccount:${ns.name}:autoscaler`);
    expect(payload.iss).toBe(SERVICE_ACCOUNT_ISSUER);
  });

  it('patches the floor of an HPA in its namespace', async () => {
    const patched = await sa
      .makeApiClient(AutoscalingV2Api)
      .patchNamespacedHorizontalPodAutoscaler(
        { name: 'router', namespace: ns.name, body: { spec: { minReplicas: 4 } } },
        mergePatch,
      );
    expect(patched.spec?.minReplicas).toBe(4);
  });

  it('is refused with 403 for a verb, a resource or a namespace its Role does not grant', async () => {
    const autoscaling = sa.makeApiClient(AutoscalingV2Api);
    const user = `system:serviceaccount:${ns.name}:autoscaler`;
    const deleteHpa = await rejection(
      autoscaling.deleteNamespacedHorizontalPodAutoscaler({ name: 'router', namespace: ns.name }),
    );
    expect(deleteHpa.code).toBe(403);
    expect(deleteHpa.reason).toBe('Forbidden');
    expect(deleteHpa.message).toBe(
      `horizontalpodautoscalers.autoscaling "router" is forbidden: User "${user}" cannot delete resource "horizontalpodautoscalers" in API group "autoscaling" in the namespace "${ns.name}"`,
    );
    const scaleDeployment = await rejection(
      sa
        .makeApiClient(AppsV1Api)
        .patchNamespacedDeployment(
          { name: 'router', namespace: ns.name, body: { spec: { replicas: 9 } } },
          mergePatch,
        ),
    );
    expect(scaleDeployment.code).toBe(403);
    expect(scaleDeployment.message).toContain('cannot patch resource "deployments" in API group "apps"');
    const elsewhere = await rejection(
      autoscaling.patchNamespacedHorizontalPodAutoscaler(
        { name: 'router', namespace: other.name, body: { spec: { minReplicas: 4 } } },
        mergePatch,
      ),
    );
    expect(elsewhere.code).toBe(403);
    expect(elsewhere.message).toContain(`in the namespace "${other.name}"`);
    const readSecrets = await rejection(
      sa.makeApiClient(CoreV1Api).listNamespacedSecret({ namespace: ns.name }),
    );
    expect(readSecrets.code).toBe(403);
  });

  it('is refused with 401 once the token is tampered with', async () => {
    const [header, payload, signature] = token.split('.');
    const forged = `${header}.${payload}.${signature!.slice(0, -4)}AAAA`;
    const refused = await rejection(
      kubeConfigWithToken(ns.kubeConfig, forged)
        .makeApiClient(AutoscalingV2Api)
        .readNamespacedHorizontalPodAutoscaler({ name: 'router', namespace: ns.name }),
    );
    expect(refused.code).toBe(401);
  });
});
