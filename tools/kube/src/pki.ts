// The control plane's certificates and keys, generated once per data dir (in `<data-dir>/pki`):
// one CA for serving and client certificates; the API server's serving certificate for loopback and the
// in-cluster names; client certificates for the admin (group system:masters) and the controller
// manager (user system:kube-controller-manager, which RBAC's bootstrap policy knows); and the key pair
// that signs and verifies ServiceAccount tokens.
import path from 'node:path';
import { ensureCa, ensureCertificate, ensureKeyPair } from '@patternmesh/devkit';

export const ADMIN_USER = 'patternmesh-admin';
export const CONTROLLER_MANAGER_USER = 'system:kube-controller-manager';
/** The first address of the service range below: where a Pod would reach `kubernetes.default`. */
export const SERVICE_CLUSTER_IP_RANGE = '10.96.0.0/16';
const KUBERNETES_SERVICE_IP = '10.96.0.1';

export interface ClusterPki {
  dir: string;
  caCert: string;
  caKey: string;
  apiserverCert: string;
  apiserverKey: string;
  adminCert: string;
  adminKey: string;
  controllerManagerCert: string;
  controllerManagerKey: string;
  serviceAccountPrivateKey: string;
  serviceAccountPublicKey: string;
}

export function ensureClusterPki(dataDir: string): ClusterPki {
  const dir = path.join(dataDir, 'pki');
  const ca = ensureCa(dir, 'ca', 'patternmesh-local-kubernetes-ca');
  const apiserver = ensureCertificate(ca, dir, 'apiserver', {
    commonName: 'kube-apiserver',
    subjectAltNames: [
      'IP:127.0.0.1',
      'DNS:localhost',
      'DNS:kubernetes',
      'DNS:kubernetes.default',
      'DNS:kubernetes.default.svc',
      'DNS:kubernetes.default.svc.cluster.local',
      `IP:${KUBERNETES_SERVICE_IP}`,
    ],
    usage: 'server',
  });
  const admin = ensureCertificate(ca, dir, 'admin', {
    commonName: ADMIN_USER,
    organizations: ['system:masters'],
    usage: 'client',
  });
  const controllerManager = ensureCertificate(ca, dir, 'controller-manager', {
    commonName: CONTROLLER_MANAGER_USER,
    usage: 'client',
  });
  const serviceAccount = ensureKeyPair(dir, 'service-account');
  return {
    dir,
    caCert: ca.cert,
    caKey: ca.key,
    apiserverCert: apiserver.cert,
    apiserverKey: apiserver.key,
    adminCert: admin.cert,
    adminKey: admin.key,
    controllerManagerCert: controllerManager.cert,
    controllerManagerKey: controllerManager.key,
    serviceAccountPrivateKey: serviceAccount.privateKey,
    serviceAccountPublicKey: serviceAccount.publicKey,
  };
}
