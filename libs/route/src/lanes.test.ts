import { Lane } from '@patternmesh/proto';
import { describe, expect, it } from 'vitest';
import { laneName, laneTopic, parseLane } from './lanes';

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

  it('builds lane topics with a sanitised tenant', () => {
    expect(laneTopic('acme', Lane.LANE_STANDARD)).toBe('persistent://acme/patterns/standard');
    expect(laneTopic('acme/evil', Lane.LANE_BULK)).toBe('persistent://acme_evil/patterns/bulk');
    expect(() => laneTopic('acme', Lane.LANE_UNSPECIFIED)).toThrow(RangeError);
  });
});
