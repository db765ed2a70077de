// @patternmesh/kube-tools: a real Kubernetes control plane on loopback (etcd, kube-apiserver and a
// minimal kube-controller-manager, built from their Go modules into a cache), Istio's CRDs, kubectl,
// and a namespace per test suite. See ../README.md.
export { type Binaries, ensureBinaries, ensureHelm, istioCrdManifest } from './build';
export {
  type ClusterHandle,
  type ClusterState,
  type ClusterStatus,
  type EnsureClusterOptions,
  CONTROLLERS,
  SERVICE_ACCOUNT_ISSUER,
  clusterStatus,
  ensureCluster,
  stopCluster,
} from './cluster';
export { ensureIstioCrds } from './istio';
export { type KubectlResult, kubectl, kubectlPath } from './kubectl';
export {
  type TestNamespace,
  adminKubeConfig,
  createTestNamespace,
  sweepOrphanedTestNamespaces,
  testNamespaceName,
} from './namespace';
export {
  DEFAULT_ETCD_VERSION,
  DEFAULT_HELM_VERSION,
  DEFAULT_ISTIO_API_VERSION,
  DEFAULT_KUBERNETES_VERSION,
  cacheRoot,
  defaultDataDir,
  versions,
} from './versions';
export {
  type ServiceAccountClient,
  AUTOSCALER_RULES,
  anHpa,
  kubeConfigWithToken,
  serviceAccountClient,
} from './identities';
