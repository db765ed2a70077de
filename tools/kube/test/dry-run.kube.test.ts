// `kubectl apply --dry-run=server`, as the chart's CI will run it on every rendered manifest: the API
// server's own validation (schemas, field validation, admission) judges the manifest and nothing is
// stored. Istio's CRDs are installed, so Istio resources are judged by their real schemas too.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { kubectl } from '../src/kubectl';
import { type TestNamespace, createTestNamespace } from '../src/namespace';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kube-dry-run-'));

function manifestFile(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

const deployment = (replicas: string, extra = '') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: classifier
spec:
  replicas: ${replicas}
  selector:
    matchLabels: { app: classifier }
  template:
    metadata:
      labels: { app: classifier }
    spec:
      containers:
        - name: classifier
          image: ghcr.io/patternmesh/patternmesh:0.1.0
${extra}`;

describe('server-side dry run', () => {
  let ns: TestNamespace;
  let kubeconfig: string;
  const apply = (file: string) =>
    kubectl(kubeconfig, ['apply', '--dry-run=server', '-n', ns.name, '-f', file]);

  beforeAll(async () => {
    kubeconfig = inject('kubeconfig');
    ns = await createTestNamespace(kubeconfig, 'dry-run');
  });
  afterAll(() => ns?.delete());

  it('accepts a valid manifest and stores nothing', async () => {
    const result = await apply(manifestFile('ok.yaml', deployment('2')));
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toBe('deployment.apps/classifier created (server dry run)');
    const get = await kubectl(kubeconfig, ['get', 'deployment', 'classifier', '-n', ns.name]);
    expect(get.status).not.toBe(0);
    expect(get.stderr).toContain('NotFound');
  });

  it('refuses a wrongly typed field with the API server’s own message', async () => {
    const result = await apply(manifestFile('type.yaml', deployment('"three"')));
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('Error from server (BadRequest)');
    expect(result.stderr).toContain(
      'cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32',
    );
  });

  it('refuses an unknown field (strict field validation on the server)', async () => {
    const result = await apply(
      manifestFile('unknown.yaml', deployment('2', '          imagePullPolcy: Always\n')),
    );
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain(
      'strict decoding error: unknown field "spec.template.spec.containers[0].imagePullPolcy"',
    );
  });

  it('refuses a value the schema forbids, through validation rather than decoding', async () => {
    const result = await apply(manifestFile('invalid.yaml', deployment('-1')));
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('spec.replicas: Invalid value: -1: must be greater than or equal to 0');
  });

  it('judges Istio resources by the schemas of the installed CRDs', async () => {
    const peer = (mode: string) => `apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata:
  name: default
spec:
  mtls:
    mode: ${mode}
`;
    const ok = await apply(manifestFile('peer-ok.yaml', peer('STRICT')));
    expect(ok.stdout.trim()).toBe('peerauthentication.security.istio.io/default created (server dry run)');
    const bad = await apply(manifestFile('peer-bad.yaml', peer('STRICTEST')));
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toContain('spec.mtls.mode: Unsupported value: "STRICTEST"');

    const rule = (maxEjection: string) => `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: classifier
spec:
  host: classifier.patternmesh.svc.cluster.local
  trafficPolicy:
    tls: { mode: ISTIO_MUTUAL }
    connectionPool:
      http: { http2MaxRequests: 1000, maxRequestsPerConnection: 0 }
    outlierDetection:
      consecutive5xxErrors: 5
      interval: 10s
      baseEjectionTime: 30s
      maxEjectionPercent: ${maxEjection}
`;
    const ruleOk = await apply(manifestFile('rule-ok.yaml', rule('50')));
    expect(ruleOk.stdout.trim()).toBe(
      'destinationrule.networking.istio.io/classifier created (server dry run)',
    );
    const ruleBad = await apply(manifestFile('rule-bad.yaml', rule('"half"')));
    expect(ruleBad.status).not.toBe(0);
    expect(ruleBad.stderr).toContain('spec.trafficPolicy.outlierDetection.maxEjectionPercent');
  });
});
