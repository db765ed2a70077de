import type { Lane } from '@patternmesh/proto';
import { laneTopic as tenantLaneTopic } from '@patternmesh/pattern';
import { sanitizeTopicPart } from './topic';

/**
 * The lane topic of the tenant a pattern carries: `persistent://<tenant>/patterns/<lane>`, with the
 * tenant sanitised to valid topic-name characters (names themselves come from `@patternmesh/pattern`).
 * @throws RangeError for a lane that is not routable.
 */
export function laneTopic(tenant: string, lane: Lane): string {
  return tenantLaneTopic(sanitizeTopicPart(tenant), lane);
}
