// The control plane itself: the versions it was built at, reuse by a second caller, the namespace
// controller cleaning up a deleted namespace, the sweep of namespaces left by dead runs, and a second
// cluster started, stopped and gone on free ports in its own data dir.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CoreV1Api, PatchStrategy, type V1ConfigMap, setHeaderOptions } from '@kubernetes/client-node';
import { isAlive } from '@patternmesh/devkit';
import { describe, expect, inject, it } from 'vitest';
import { clusterStatus, ensureCluster } from '../src/cluster';
import { kubectl } from '../src/kubectl';
import {
  OWNER_PID_LABEL,
  adminKubeConfig,
  createTestNamespace,
  sweepOrphanedTestNamespaces,
} from '../src/namespace';
import { DEFAULT_KUBERNETES_VERSION } from '../src/versions';

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

const gone = (core: CoreV1Api, name: string) => () =>
  core.readNamespace({ name }).then(
    () => undefined,
    (e: { code?: number }) => (e.code === 404 ? true : undefined),
  );

describe('the local control plane', () => {
  it('reports the pinned release, server and client alike', async () => {
    const version = await kubectl(inject('kubeconfig'), ['version', '-o', 'json']);
    const parsed = JSON.parse(version.stdout) as {
      clientVersion: { gitVersion: string };
      serverVersion: { gitVersion: string };
    };
    expect(parsed.serverVersion.gitVersion).toBe(`v${DEFAULT_KUBERNETES_VERSION}`);
    expect(parsed.clientVersion.gitVersion).toBe(`v${DEFAULT_KUBERNETES_VERSION}`);
  });

  it('deletes a namespace with everything in it (the namespace controller runs)', async () => {
    const ns = await createTestNamespace(inject('kubeconfig'), 'lifecycle');
    const core = ns.kubeConfig.makeApiClient(CoreV1Api);
    const map: V1ConfigMap = { metadata: { name: 'routes' }, data: { 'routes.yaml': 'lanes: []' } };
    await core.createNamespacedConfigMap({ namespace: ns.name, body: map });
    // The root CA publisher and the ServiceAccount controller fill a new namespace.
    await until('kube-root-ca.crt', () =>
      core.readNamespacedConfigMap({ name: 'kube-root-ca.crt', namespace: ns.name }).catch(() => undefined),
    );
    await until('the default ServiceAccount', () =>
      core.readNamespacedServiceAccount({ name: 'default', namespace: ns.name }).catch(() => undefined),
    );
    await ns.delete();
    await until('the namespace to be gone', gone(core, ns.name));
  });

  it('sweeps test namespaces whose creator died and keeps those of live ones', async () => {
    const kubeconfig = inject('kubeconfig');
    const core = adminKubeConfig(kubeconfig).makeApiClient(CoreV1Api);
    const live = await createTestNamespace(kubeconfig, 'sweep-live');
    const orphan = await createTestNamespace(kubeconfig, 'sweep-orphan');
    const child = spawn(process.execPath, ['-e', '0']);
    await new Promise((r) => child.once('exit', r));
    expect(isAlive(child.pid)).toBe(false);
    // As if its creator were that (now dead) process.
    await core.patchNamespace(
      { name: orphan.name, body: { metadata: { labels: { [OWNER_PID_LABEL]: String(child.pid) } } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    const swept = await sweepOrphanedTestNamespaces(kubeconfig);
    expect(swept).toContain(orphan.name);
    expect(swept).not.toContain(live.name);
    await until('the orphan to be gone', gone(core, orphan.name));
    expect((await core.readNamespace({ name: live.name })).status?.phase).toBe('Active');
    await live.delete();
  });

  it('is reused by a second caller for the same data dir, and a second data dir gets its own', async () => {
    const again = await ensureCluster();
    expect(again.startedByUs).toBe(false);
    expect(again.kubeconfig).toBe(inject('kubeconfig'));

    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kube-second-'));
    const second = await ensureCluster({ dataDir, apiserverPort: 0, etcdPort: 0 });
    try {
      expect(second.startedByUs).toBe(true);
      expect(second.server).not.toBe(again.server);
      expect((await clusterStatus({ dataDir })).running).toBe(true);
      const namespaces = await kubectl(second.kubeconfig, ['get', 'namespaces', '-o', 'name']);
      expect(namespaces.stdout).toContain('namespace/default');
      expect(namespaces.stdout).not.toContain('namespace/pm-');
    } finally {
      await second.stop();
    }
    const status = await clusterStatus({ dataDir });
    expect(status.running).toBe(false);
    for (const pid of Object.values(status.state!.pids)) expect(isAlive(pid)).toBe(false);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }, 180_000);
});
