import { describe, expect, it } from 'vitest';
import { CONTROLLERS, componentArgs } from './cluster';
import type { ClusterPki } from './pki';

const pki = Object.fromEntries(
  [
    'dir',
    'caCert',
    'caKey',
    'apiserverCert',
    'apiserverKey',
    'adminCert',
    'adminKey',
    'controllerManagerCert',
    'controllerManagerKey',
    'serviceAccountPrivateKey',
    'serviceAccountPublicKey',
  ].map((k) => [k, `/d/pki/${k}`]),
) as unknown as ClusterPki;
const paths = {
  dataDir: '/d',
  marker: '/d/m',
  state: '/d/cluster.json',
  lock: '/d/l',
  etcdData: '/d/etcd',
  logs: '/d/logs',
  kubeconfig: '/d/kubeconfig',
  controllerManagerKubeconfig: '/d/cm.kubeconfig',
  controllerManagerCerts: '/d/cm',
};
const ports = { apiserver: 16443, etcd: 12379, etcdPeer: 12380, controllerManager: 10257 };
const args = (c: 'etcd' | 'apiserver' | 'controllerManager') => componentArgs(c, { paths, pki, ports });
const flag = (list: string[], name: string) => list.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];

describe('componentArgs', () => {
  it('binds every listener to loopback', () => {
    for (const name of ['listen-client-urls', 'listen-peer-urls', 'advertise-client-urls']) {
      expect(flag(args('etcd'), name)).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    }
    expect(flag(args('apiserver'), 'bind-address')).toBe('127.0.0.1');
    expect(flag(args('controllerManager'), 'bind-address')).toBe('127.0.0.1');
    expect(flag(args('apiserver'), 'etcd-servers')).toBe('http://127.0.0.1:12379');
  });

  it('authenticates by client certificate and ServiceAccount token, and authorizes by RBAC only', () => {
    const api = args('apiserver');
    expect(flag(api, 'authorization-mode')).toBe('RBAC');
    expect(flag(api, 'client-ca-file')).toBe(pki.caCert);
    expect(flag(api, 'service-account-signing-key-file')).toBe(pki.serviceAccountPrivateKey);
    expect(flag(api, 'service-account-key-file')).toBe(pki.serviceAccountPublicKey);
  });

  it('runs only the controllers an API-only cluster needs, none that make Pods or touch HPAs', () => {
    const controllers = flag(args('controllerManager'), 'controllers')!.split(',');
    expect(controllers).toEqual(CONTROLLERS);
    expect(controllers).toContain('namespace-controller');
    expect(controllers).not.toContain('horizontal-pod-autoscaler-controller');
    expect(controllers).not.toContain('replicaset-controller');
  });
});
