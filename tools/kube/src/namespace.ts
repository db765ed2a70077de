// A namespace per test suite on the local API server, the way broker suites get their own topics.
// Each is labelled with the creating process's pid, so a later run can sweep namespaces whose creator
// died (a crashed or killed run) without touching those of a suite still running beside it.
import crypto from 'node:crypto';
import os from 'node:os';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { isAlive } from '@patternmesh/devkit';

export const TEST_NAMESPACE_LABEL = 'patternmesh.io/test-namespace';
export const OWNER_PID_LABEL = 'patternmesh.io/test-owner-pid';
export const OWNER_HOST_ANNOTATION = 'patternmesh.io/test-owner-host';

export interface TestNamespace {
  name: string;
  /** Admin client configuration for the cluster. */
  kubeConfig: KubeConfig;
  /** Delete the namespace; the namespace controller then deletes everything in it. */
  delete(): Promise<void>;
}

export function adminKubeConfig(kubeconfigPath: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  return kc;
}

/** A name valid as a namespace (RFC 1123 label, at most 63 characters). */
export function testNamespaceName(prefix: string): string {
  const slug = prefix
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  return `pm-${slug || 'test'}-${crypto.randomBytes(4).toString('hex')}`;
}

export async function createTestNamespace(kubeconfigPath: string, prefix: string): Promise<TestNamespace> {
  const kubeConfig = adminKubeConfig(kubeconfigPath);
  const core = kubeConfig.makeApiClient(CoreV1Api);
  const name = testNamespaceName(prefix);
  await core.createNamespace({
    body: {
      metadata: {
        name,
        labels: { [TEST_NAMESPACE_LABEL]: 'true', [OWNER_PID_LABEL]: String(process.pid) },
        annotations: { [OWNER_HOST_ANNOTATION]: os.hostname() },
      },
    },
  });
  return {
    name,
    kubeConfig,
    delete: async () => {
      await core.deleteNamespace({ name }).catch((e: unknown) => {
        if ((e as { code?: number }).code !== 404) throw e;
      });
    },
  };
}

/** Delete test namespaces whose creating process (on this host) is gone. Returns their names. */
export async function sweepOrphanedTestNamespaces(kubeconfigPath: string): Promise<string[]> {
  const core = adminKubeConfig(kubeconfigPath).makeApiClient(CoreV1Api);
  const list = await core.listNamespace({ labelSelector: `${TEST_NAMESPACE_LABEL}=true` });
  const swept: string[] = [];
  for (const ns of list.items) {
    const pid = Number(ns.metadata?.labels?.[OWNER_PID_LABEL]);
    const host = ns.metadata?.annotations?.[OWNER_HOST_ANNOTATION];
    if (host !== os.hostname() || isAlive(pid) || ns.status?.phase === 'Terminating') continue;
    await core.deleteNamespace({ name: ns.metadata!.name! });
    swept.push(ns.metadata!.name!);
  }
  return swept;
}
