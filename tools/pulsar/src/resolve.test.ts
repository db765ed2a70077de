import { describe, expect, it } from 'vitest';
import { pulsarVersion } from './common';
import {
  DEPENDENCY_PLUGIN,
  KNOWN_FALLBACK_PINS,
  copyDependenciesArgs,
  fallbackPins,
  generatePom,
  generateSettings,
  parseMissingPulsarArtifacts,
  parsePins,
} from './resolve';

describe('generated pom and settings', () => {
  it('imports the Pulsar BOM, adds log4j2, and pins win over the BOM', () => {
    const pom = generatePom({
      version: '4.0.8',
      artifactId: 'pulsar-broker',
      pins: { 'org.apache.pulsar:jetcd-core-shaded': '4.0.7' },
    });
    expect(pom).toMatch(
      /<artifactId>pulsar<\/artifactId><version>4\.0\.8<\/version><type>pom<\/type><scope>import<\/scope>/,
    );
    expect(pom).toMatch(/<artifactId>log4j-slf4j2-impl<\/artifactId>/);
    expect(pom).toMatch(/<artifactId>log4j-core<\/artifactId>/);
    expect(pom).toMatch(
      /<groupId>org.apache.pulsar<\/groupId><artifactId>jetcd-core-shaded<\/artifactId><version>4\.0\.7<\/version>/,
    );
    expect(pom.indexOf('jetcd-core-shaded')).toBeLessThan(pom.indexOf('<scope>import</scope>'));
    // No version ranges anywhere.
    expect(pom).not.toMatch(/<version>[[(]/);
    expect(generateSettings('https://example.invalid/m2')).toMatch(
      /<mirrorOf>\*<\/mirrorOf><url>https:\/\/example.invalid\/m2<\/url>/,
    );
  });

  it('runs the dependency plugin at a fixed version', () => {
    expect(DEPENDENCY_PLUGIN).toMatch(
      /^org\.apache\.maven\.plugins:maven-dependency-plugin:\d+\.\d+(\.\d+)?$/,
    );
    const args = copyDependenciesArgs({
      settings: '/s.xml',
      pom: '/p.xml',
      outputDirectory: '/out',
      repoLocal: '/m2',
    });
    expect(args).toEqual([
      '-B',
      '-q',
      '-s',
      '/s.xml',
      '-f',
      '/p.xml',
      `${DEPENDENCY_PLUGIN}:copy-dependencies`,
      '-DoutputDirectory=/out',
      '-DincludeScope=runtime',
      '-Dmaven.repo.local=/m2',
    ]);
  });
});

describe('pinned versions only', () => {
  it('accepts exact releases and rejects "latest", ranges and x-versions', () => {
    expect(pulsarVersion('4.0.7')).toBe('4.0.7');
    expect(pulsarVersion()).toMatch(/^\d+\.\d+\.\d+$/);
    for (const v of ['latest', 'lts', '4.0', '4.0.x', '[4.0.0,4.1)'])
      expect(() => pulsarVersion(v)).toThrow(/exact/);
  });

  it('PATTERNMESH_PULSAR_PINS takes exact versions', () => {
    expect(parsePins('org.apache.pulsar:a=4.0.7, org.apache.pulsar:b=4.0.6')).toEqual({
      'org.apache.pulsar:a': '4.0.7',
      'org.apache.pulsar:b': '4.0.6',
    });
    expect(() => parsePins('org.apache.pulsar:a')).toThrow(/bad item/);
    expect(() => parsePins('a=4.0.7')).toThrow(/bad item/);
    expect(() => parsePins('org.apache.pulsar:a=[4.0.0')).toThrow(/exact/);
    expect(() => parsePins('org.apache.pulsar:a=LATEST')).toThrow(/exact/);
  });

  it('pins both known 4.0.8 gaps to 4.0.7 when Maven reports one of them missing', () => {
    expect(KNOWN_FALLBACK_PINS['4.0.8']).toEqual({
      'org.apache.pulsar:jetcd-core-shaded': '4.0.7',
      'org.apache.pulsar:pulsar-opentelemetry': '4.0.7',
    });
    expect(fallbackPins('4.0.8', { 'org.apache.pulsar:jetcd-core-shaded': '4.0.8' }, {})).toEqual(
      KNOWN_FALLBACK_PINS['4.0.8'],
    );
    // Already pinned: nothing new, so the caller gives up instead of looping.
    expect(
      fallbackPins(
        '4.0.8',
        { 'org.apache.pulsar:jetcd-core-shaded': '4.0.8' },
        KNOWN_FALLBACK_PINS['4.0.8']!,
      ),
    ).toEqual({});
    // An unknown gap is not guessed at.
    expect(fallbackPins('4.0.8', { 'org.apache.pulsar:other': '4.0.8' }, {})).toEqual({});
    expect(fallbackPins('4.0.6', { 'org.apache.pulsar:jetcd-core-shaded': '4.0.6' }, {})).toEqual({});
  });
});

describe('Maven output parsing', () => {
  it('finds the missing org.apache.pulsar artifacts', () => {
    const out = [
      '[ERROR] Failed to execute goal on project x: Could not resolve dependencies for project x:x:pom:1: The following artifacts could not be resolved: org.apache.pulsar:jetcd-core-shaded:jar:4.0.8, org.apache.pulsar:pulsar-opentelemetry:jar:4.0.8: Could not find artifact org.apache.pulsar:jetcd-core-shaded:jar:4.0.8 in central-only (https://repo.maven.apache.org/maven2) -> [Help 1]',
      '[ERROR] ... Failed to read artifact descriptor for org.apache.pulsar:foo:jar:4.0.8: Could not transfer artifact',
      '[ERROR] ... org.apache.pulsar:bar:jar:4.0.8 was not found in https://repo.maven.apache.org/maven2 during a previous attempt.',
      'Could not find artifact io.netty:netty-common:jar:1.0',
    ].join('\n');
    expect(parseMissingPulsarArtifacts(out)).toEqual({
      'org.apache.pulsar:jetcd-core-shaded': '4.0.8',
      'org.apache.pulsar:pulsar-opentelemetry': '4.0.8',
      'org.apache.pulsar:foo': '4.0.8',
      'org.apache.pulsar:bar': '4.0.8',
    });
  });
});
