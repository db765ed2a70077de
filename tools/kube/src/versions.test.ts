import { describe, expect, it } from 'vitest';
import { DEFAULT_KUBERNETES_VERSION, cacheRoot, stagingVersion, versions } from './versions';

describe('versions', () => {
  it('pins exact releases and takes exact overrides', () => {
    expect(versions({}).kubernetes).toBe(DEFAULT_KUBERNETES_VERSION);
    expect(versions({ PATTERNMESH_KUBERNETES_VERSION: '1.36.3' }).kubernetes).toBe('1.36.3');
    expect(() => versions({ PATTERNMESH_ETCD_VERSION: 'latest' })).toThrow(/not an exact release/);
    expect(() => versions({ PATTERNMESH_KUBERNETES_VERSION: '1.37.x' })).toThrow(/not an exact release/);
  });

  it('maps a Kubernetes release to its staging modules release', () => {
    expect(stagingVersion('1.37.2')).toBe('v0.37.2');
    expect(stagingVersion('1.34.0')).toBe('v0.34.0');
  });

  it('keeps the cache outside the repository, movable by environment', () => {
    expect(cacheRoot({ PATTERNMESH_KUBE_CACHE: '/tmp/k' })).toBe('/tmp/k');
    expect(cacheRoot({ XDG_CACHE_HOME: '/x' })).toBe('/x/patternmesh/kube');
  });
});
