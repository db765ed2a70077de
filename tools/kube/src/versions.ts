// What this tool builds and runs, pinned: exact releases only, so the binaries do not depend on what the
// Go module proxy serves that day. Each can be overridden by an environment variable (also exact).
import os from 'node:os';
import path from 'node:path';

/** kube-apiserver, kube-controller-manager and kubectl, from the `k8s.io/kubernetes` module. */
export const DEFAULT_KUBERNETES_VERSION = '1.37.2';
/** etcd, from the `go.etcd.io/etcd/server/v3` module (the line Kubernetes 1.37's client is built for). */
export const DEFAULT_ETCD_VERSION = '3.7.3';
/** helm, from the `helm.sh/helm/v3` module (built on client-go v0.37, like the API server). */
export const DEFAULT_HELM_VERSION = '3.22.0';
/** Istio's CRDs, from `kubernetes/customresourcedefinitions.gen.yaml` in the `istio.io/api` module. */
export const DEFAULT_ISTIO_API_VERSION = '1.32.0';

const EXACT = /^\d+\.\d+\.\d+$/;

function exact(name: string, value: string | undefined, fallback: string): string {
  const version = value || fallback;
  if (!EXACT.test(version)) {
    throw new Error(`${name}='${version}' is not an exact release (want e.g. ${fallback})`);
  }
  return version;
}

export interface Versions {
  kubernetes: string;
  etcd: string;
  istioApi: string;
  helm: string;
}

export function versions(env: NodeJS.ProcessEnv = process.env): Versions {
  return {
    kubernetes: exact(
      'PATTERNMESH_KUBERNETES_VERSION',
      env.PATTERNMESH_KUBERNETES_VERSION,
      DEFAULT_KUBERNETES_VERSION,
    ),
    etcd: exact('PATTERNMESH_ETCD_VERSION', env.PATTERNMESH_ETCD_VERSION, DEFAULT_ETCD_VERSION),
    istioApi: exact(
      'PATTERNMESH_ISTIO_API_VERSION',
      env.PATTERNMESH_ISTIO_API_VERSION,
      DEFAULT_ISTIO_API_VERSION,
    ),
    helm: exact('PATTERNMESH_HELM_VERSION', env.PATTERNMESH_HELM_VERSION, DEFAULT_HELM_VERSION),
  };
}

/**
 * The Kubernetes staging modules (`k8s.io/api`, `k8s.io/client-go`, …) are released as v0.<minor>.<patch>
 * beside each v1.<minor>.<patch> of `k8s.io/kubernetes`.
 */
export function stagingVersion(kubernetes: string): string {
  const [, minor, patch] = kubernetes.split('.');
  return `v0.${minor}.${patch}`;
}

/** Root of the cache: $PATTERNMESH_KUBE_CACHE or ${XDG_CACHE_HOME:-~/.cache}/patternmesh/kube. */
export function cacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env.PATTERNMESH_KUBE_CACHE) return path.resolve(env.PATTERNMESH_KUBE_CACHE);
  const xdg = env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(xdg, 'patternmesh', 'kube');
}

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(cacheRoot(env), 'data');
}
