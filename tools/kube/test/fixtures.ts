// Objects the suites create: a Deployment and the HPA that scales it, as the chart will render them.
import type { V1Deployment, V2HorizontalPodAutoscaler } from '@kubernetes/client-node';
import { anHpa } from '../src/identities';

export function deployment(name: string): V1Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels: { app: name } },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name, image: 'ghcr.io/patternmesh/patternmesh:0.1.0' }] },
      },
    },
  };
}

export function hpa(name: string, minReplicas = 2): V2HorizontalPodAutoscaler {
  return anHpa(name, { minReplicas, labels: { 'patternmesh.io/predictive-floor': 'enabled' } });
}

/** The HTTP status of a rejected client call (`ApiException.code`), or undefined if it succeeded. */
export async function statusOf(call: Promise<unknown>): Promise<number | undefined> {
  try {
    await call;
    return undefined;
  } catch (e) {
    return (e as { code?: number }).code;
  }
}

/** The Status object the API server sent with a rejection. */
export async function rejection(
  call: Promise<unknown>,
): Promise<{ code: number; reason: string; message: string }> {
  try {
    await call;
  } catch (e) {
    const err = e as { code: number; body: unknown };
    const body = typeof err.body === 'string' ? (JSON.parse(err.body) as Record<string, unknown>) : err.body;
    return { code: err.code, ...(body as { reason: string; message: string }) };
  }
  throw new Error('expected the API server to refuse the call');
}
