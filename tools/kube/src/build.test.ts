import { describe, expect, it } from 'vitest';
import { buildGoMod, helmLdflags, kubernetesVersionLdflags, stagingReplaces, toolsGo } from './build';

// The shape of k8s.io/kubernetes's go.mod: staging modules required at v0.0.0 and replaced by directories.
const upstream = `module k8s.io/kubernetes

go 1.26.0

require (
	github.com/google/cel-go v0.29.2
	k8s.io/api v0.0.0
	k8s.io/client-go v0.0.0
	k8s.io/utils v0.0.0-20260626114624-be93311217bd
)

replace (
	k8s.io/api => ./staging/src/k8s.io/api
	k8s.io/client-go => ./staging/src/k8s.io/client-go
	k8s.io/pod-security-admission => ./staging/src/k8s.io/pod-security-admission
)
`;

describe('the generated build module', () => {
  it('replaces every staging module, and only those, by its release beside the Kubernetes version', () => {
    expect(stagingReplaces(upstream, '1.37.2')).toEqual([
      '\tk8s.io/api => k8s.io/api v0.37.2',
      '\tk8s.io/client-go => k8s.io/client-go v0.37.2',
      '\tk8s.io/pod-security-admission => k8s.io/pod-security-admission v0.37.2',
    ]);
  });

  it('refuses an upstream go.mod without staging replacements (the layout changed)', () => {
    expect(() => stagingReplaces('module k8s.io/kubernetes\n', '1.37.2')).toThrow(/no \.\/staging/);
  });

  it('requires the module at the pinned version, with the replacements', () => {
    const mod = buildGoMod({
      module: 'k8s.io/kubernetes',
      version: '1.37.2',
      extraGoMod: stagingReplaces(upstream, '1.37.2'),
    });
    expect(mod).toContain('require k8s.io/kubernetes v1.37.2\n');
    expect(mod).toMatch(/replace \(\n\tk8s\.io\/api => k8s\.io\/api v0\.37\.2\n/);
    expect(
      buildGoMod({ module: 'go.etcd.io/etcd/server/v3', version: '3.7.3', extraGoMod: [] }),
    ).not.toContain('replace');
  });

  it('imports the commands only under the tools build tag', () => {
    const go = toolsGo(['k8s.io/kubernetes/cmd/kube-apiserver', 'k8s.io/kubernetes/cmd/kubectl']);
    expect(go.startsWith('//go:build tools\n')).toBe(true);
    expect(go).toContain('\t_ "k8s.io/kubernetes/cmd/kubectl"\n');
  });

  it('stamps the release into both version packages, so servers and kubectl report it', () => {
    const flags = kubernetesVersionLdflags('1.37.2', '2026-12-01T00:00:00Z');
    for (const pkg of ['k8s.io/component-base/version', 'k8s.io/client-go/pkg/version']) {
      expect(flags).toContain(`-X ${pkg}.gitVersion=v1.37.2`);
      expect(flags).toContain(`-X ${pkg}.gitMinor=37`);
    }
  });

  it('stamps helm with its release and the Kubernetes minor that `helm template` assumes', () => {
    const flags = helmLdflags('3.22.0', '37');
    expect(flags).toContain('-X helm.sh/helm/v3/internal/version.version=v3.22.0');
    expect(flags).toContain('-X helm.sh/helm/v3/pkg/chartutil.k8sVersionMinor=37');
    expect(flags).toContain('-X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMinor=37');
  });
});
