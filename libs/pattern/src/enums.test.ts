import { Lane, Priority } from '@patternmesh/proto';
import { describe, expect, it } from 'vitest';
import { enumValue, laneName, parseLane, priorityName } from './enums';
import { laneTopic, parseTopicName, pipelineTopics } from './topics';

describe('lanes', () => {
  it('names lanes and reads the names back', () => {
    for (const lane of [Lane.LANE_CRITICAL, Lane.LANE_STANDARD, Lane.LANE_BULK]) {
      expect(parseLane(laneName(lane))).toBe(lane);
    }
    expect(laneName(Lane.LANE_UNSPECIFIED)).toBe('unspecified');
    expect(laneName(Lane.UNRECOGNIZED)).toBe('unspecified');
  });

  it('parses names leniently but only routable lanes', () => {
    expect(parseLane('CRITICAL')).toBe(Lane.LANE_CRITICAL);
    expect(parseLane(' LANE_BULK ')).toBe(Lane.LANE_BULK);
    expect(parseLane('unspecified')).toBeUndefined();
    expect(parseLane('express')).toBeUndefined();
    expect(parseLane('toString')).toBeUndefined();
  });

  it('builds lane topics from a lane or its name', () => {
    expect(laneTopic('acme', Lane.LANE_STANDARD)).toBe('persistent://acme/patterns/standard');
    expect(laneTopic('acme', 'bulk')).toBe('persistent://acme/patterns/bulk');
    expect(() => laneTopic('acme', Lane.LANE_UNSPECIFIED)).toThrow(RangeError);
  });

  it('reads priorities and severities written by name or number', () => {
    expect(priorityName(Priority.PRIORITY_HIGH)).toBe('high');
    expect(enumValue('priority', 'PRIORITY_CRITICAL')).toBe(Priority.PRIORITY_CRITICAL);
    expect(enumValue('severity', 'high')).toBe(4);
    expect(enumValue('severity', 'loud')).toBeUndefined();
  });

  it('names the documented topics and parses full names only', () => {
    const topics = pipelineTopics();
    expect(topics.raw).toBe('persistent://patternmesh/pipeline/raw');
    expect(topics.tenant).toBe('patternmesh');
    expect(parseTopicName('persistent://acme/patterns/critical')).toMatchObject({
      tenant: 'acme',
      namespace: 'patterns',
      local: 'critical',
    });
    expect(parseTopicName('critical')).toBeUndefined();
    expect(parseTopicName('persistent://acme/patterns/a/b')).toBeUndefined();
  });
});
