import { KubeConfig } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { kubeconfigYaml } from './kubeconfig';

describe('kubeconfigYaml', () => {
  it('is read by the Kubernetes client as one cluster, user and current context', () => {
    const kc = new KubeConfig();
    kc.loadFromString(
      kubeconfigYaml({
        server: 'https://127.0.0.1:16443',
        caFile: '/data/pki/ca.crt',
        user: 'system:kube-controller-manager',
        clientCertFile: '/data/pki/a b.crt',
        clientKeyFile: '/data/pki/a b.key',
      }),
    );
    expect(kc.getCurrentCluster()).toMatchObject({
      server: 'https://127.0.0.1:16443',
      caFile: '/data/pki/ca.crt',
    });
    expect(kc.getCurrentUser()).toMatchObject({
      name: 'system:kube-controller-manager',
      certFile: '/data/pki/a b.crt',
      keyFile: '/data/pki/a b.key',
    });
  });
});
