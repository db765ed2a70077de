import { describe, expect, it } from 'vitest';
import { baseJvmFlags, compareJavaNewestFirst, parseJavaVersion } from './common';

describe('JDK discovery', () => {
  it('parses java -version output, old and new style', () => {
    expect(parseJavaVersion('openjdk version "25.0.3" 2026-04-21 LTS')).toMatchObject({
      full: '25.0.3',
      major: 25,
    });
    expect(parseJavaVersion('java version "1.8.0_392"')).toMatchObject({ major: 8 });
    expect(parseJavaVersion('nothing here')).toBeNull();
  });

  it('orders newest first and adds the quieting flags by major', () => {
    const vs = ['21.0.5', '25.0.3', '17.0.15', '25.0.1'].map((v) => parseJavaVersion(`version "${v}"`)!);
    expect(vs.sort(compareJavaNewestFirst).map((v) => v.full)).toEqual([
      '25.0.3',
      '25.0.1',
      '21.0.5',
      '17.0.15',
    ]);
    expect(baseJvmFlags({ major: 21 })).not.toContain('--enable-native-access=ALL-UNNAMED');
    expect(baseJvmFlags({ major: 22 })).toContain('--enable-native-access=ALL-UNNAMED');
    expect(baseJvmFlags({ major: 25 })).toContain('--sun-misc-unsafe-memory-access=allow');
  });
});
