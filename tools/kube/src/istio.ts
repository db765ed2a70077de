// Istio's CustomResourceDefinitions on the local API server, so that the chart's PeerAuthentications,
// DestinationRules, AuthorizationPolicies and Sidecars are validated by their real OpenAPI schemas. They
// come from the pinned `istio.io/api` module (its `kubernetes/customresourcedefinitions.gen.yaml`, the
// file Istio's own charts ship), fetched into Go's module cache: the repository keeps only the version.
import { type Log, noopLog } from '@patternmesh/devkit';
import { istioCrdManifest } from './build';
import { kubectl } from './kubectl';
import { versions } from './versions';

/** Server-side apply (idempotent), then wait until every CRD is Established. Returns the CRD names. */
export async function ensureIstioCrds(
  kubeconfig: string,
  { log = noopLog, istioApiVersion = versions().istioApi }: { log?: Log; istioApiVersion?: string } = {},
): Promise<string[]> {
  const manifest = istioCrdManifest(istioApiVersion);
  const apply = await kubectl(kubeconfig, [
    'apply',
    '--server-side',
    '--force-conflicts',
    '--field-manager=patternmesh-kube-tools',
    '-f',
    manifest,
    '-o',
    'name',
  ]);
  if (apply.status !== 0) throw new Error(`applying Istio CRDs (${manifest}) failed:\n${apply.stderr}`);
  const wait = await kubectl(kubeconfig, [
    'wait',
    '--for=condition=Established',
    '--timeout=60s',
    '-f',
    manifest,
  ]);
  if (wait.status !== 0) throw new Error(`Istio CRDs not Established:\n${wait.stderr}`);
  const names = apply.stdout
    .split('\n')
    .map((l) => l.trim().replace(/^customresourcedefinition\.apiextensions\.k8s\.io\//, ''))
    .filter(Boolean);
  log(`istio: ${names.length} CRDs from istio.io/api@v${istioApiVersion}`);
  return names;
}
