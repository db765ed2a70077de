import { Lane } from '@patternmesh/proto';
import { sanitizeTopicPart } from './topic';

/** Names of the lanes a pattern can travel in, as used in topic names and templates. */
export type LaneName = 'critical' | 'standard' | 'bulk';

/** Every routable lane name, most urgent first. */
export const LANE_NAMES: readonly LaneName[] = ['critical', 'standard', 'bulk'];

const BY_NAME: Record<LaneName, Lane> = {
  critical: Lane.LANE_CRITICAL,
  standard: Lane.LANE_STANDARD,
  bulk: Lane.LANE_BULK,
};

/** Whether a lane can carry patterns (unspecified and unrecognized cannot). */
export function isRoutableLane(lane: Lane): boolean {
  return lane === Lane.LANE_CRITICAL || lane === Lane.LANE_STANDARD || lane === Lane.LANE_BULK;
}

/** The name of a lane: `critical`, `standard`, `bulk`, or `unspecified` for anything else. */
export function laneName(lane: Lane): LaneName | 'unspecified' {
  return LANE_NAMES[lane - 1] ?? 'unspecified';
}

/**
 * Reads a lane from its name: `critical`, `CRITICAL` and `LANE_CRITICAL` all work.
 * Returns undefined for anything that is not a routable lane.
 */
export function parseLane(name: string): Lane | undefined {
  const key = name
    .trim()
    .toLowerCase()
    .replace(/^lane_/, '');
  return Object.hasOwn(BY_NAME, key) ? BY_NAME[key as LaneName] : undefined;
}

/**
 * The lane topic of a tenant: `persistent://<tenant>/patterns/<lane>`. The tenant is sanitised to
 * valid topic-name characters.
 * @throws RangeError for a lane that is not routable.
 */
export function laneTopic(tenant: string, lane: Lane): string {
  if (!isRoutableLane(lane)) throw new RangeError(`lane ${lane} is not a routable lane`);
  return `persistent://${sanitizeTopicPart(tenant)}/patterns/${laneName(lane)}`;
}
