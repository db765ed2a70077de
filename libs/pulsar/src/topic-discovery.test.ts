import { describe, expect, it } from 'vitest';
import { TopicDomainMode } from './proto/commands';
import { matchingTopics, parseTopicsPattern } from './topic-discovery';

describe('topicsPattern', () => {
  it('reads the namespace and domain and matches whole names, partitions folded into their topic', () => {
    const p = parseTopicsPattern(/persistent:\/\/public\/default\/lane-.*/);
    expect(p).toMatchObject({ namespace: 'public/default', mode: TopicDomainMode.PERSISTENT });
    const listed = [
      'persistent://public/default/lane-a',
      'persistent://public/default/lane-p-partition-0',
      'persistent://public/default/lane-p-partition-1',
      'persistent://public/default/xlane-b', // the match is anchored at the start of the name
      'persistent://public/default/other',
    ];
    expect(matchingTopics(listed, p)).toEqual([
      'persistent://public/default/lane-a',
      'persistent://public/default/lane-p',
    ]);
  });

  it('takes a string, a non-persistent domain and regex flags', () => {
    expect(parseTopicsPattern('non-persistent://t/ns/x.*')).toMatchObject({
      namespace: 't/ns',
      mode: TopicDomainMode.NON_PERSISTENT,
    });
    const p = parseTopicsPattern(/persistent:\/\/t\/ns\/ab/i);
    expect(matchingTopics(['persistent://t/ns/AB'], p)).toEqual(['persistent://t/ns/AB']);
  });

  it('rejects patterns without a literal tenant and namespace', () => {
    for (const bad of ['persistent://public/.*/x', 'lane-.*', 'persistent://public/default/('])
      expect(() => parseTopicsPattern(bad)).toThrow(
        expect.objectContaining({ code: 'PULSAR_INVALID_ARGUMENT' }),
      );
  });
});
