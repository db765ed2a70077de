import { describe, expect, it } from 'vitest';
import { testNamespaceName } from './namespace';

describe('testNamespaceName', () => {
  it('makes distinct RFC 1123 labels of at most 63 characters from any prefix', () => {
    const rfc1123 = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
    for (const prefix of ['HPA floor', 'x'.repeat(100), '--', 'autoscaler/actuator_v2']) {
      const name = testNamespaceName(prefix);
      expect(name).toMatch(rfc1123);
      expect(name.length).toBeLessThanOrEqual(63);
    }
    expect(testNamespaceName('a')).not.toBe(testNamespaceName('a'));
    expect(testNamespaceName('HPA floor')).toMatch(/^pm-hpa-floor-[0-9a-f]{8}$/);
  });
});
