import { Lane } from '@patternmesh/proto';
import { describe, expect, it } from 'vitest';
import { laneTopic } from './lanes';

describe('laneTopic', () => {
  it('sanitises the tenant a pattern carries into one topic segment', () => {
    expect(laneTopic('acme', Lane.LANE_STANDARD)).toBe('persistent://acme/patterns/standard');
    expect(laneTopic('acme/evil', Lane.LANE_BULK)).toBe('persistent://acme_evil/patterns/bulk');
    expect(() => laneTopic('acme', Lane.LANE_UNSPECIFIED)).toThrow(RangeError);
  });
});
