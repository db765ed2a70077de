// Kubeconfig files for the local control plane: one cluster (the loopback API server, trusted through the
// data dir's CA) and one user with a client certificate. kubectl and @kubernetes/client-node read them.
import { writeFileAtomic } from '@patternmesh/devkit';

export const CONTEXT = 'patternmesh-local';

export interface KubeconfigSpec {
  server: string;
  caFile: string;
  user: string;
  clientCertFile: string;
  clientKeyFile: string;
}

/** YAML text. Every value is a path, a URL or a plain name, so JSON quoting is valid YAML quoting. */
export function kubeconfigYaml(spec: KubeconfigSpec): string {
  const q = (s: string) => JSON.stringify(s);
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    `- name: ${CONTEXT}`,
    '  cluster:',
    `    server: ${q(spec.server)}`,
    `    certificate-authority: ${q(spec.caFile)}`,
    'users:',
    `- name: ${q(spec.user)}`,
    '  user:',
    `    client-certificate: ${q(spec.clientCertFile)}`,
    `    client-key: ${q(spec.clientKeyFile)}`,
    'contexts:',
    `- name: ${CONTEXT}`,
    '  context:',
    `    cluster: ${CONTEXT}`,
    `    user: ${q(spec.user)}`,
    `current-context: ${CONTEXT}`,
    '',
  ].join('\n');
}

export function writeKubeconfig(file: string, spec: KubeconfigSpec): void {
  // It names a key file, not the key, but it is still the admin's credential: owner only.
  writeFileAtomic(file, kubeconfigYaml(spec), 0o600);
}
