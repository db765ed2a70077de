import { Lane, Priority, type RouteTable } from '@patternmesh/proto';

/**
 * The built-in route table: critical patterns take the low-latency lane, high and medium the standard
 * lane, low the bulk lane; anything else (unclassified) falls to bulk. Every pattern is also archived.
 * Rules carry no destinations, so each goes to its tenant's lane topic
 * (`persistent://<tenant>/patterns/<lane>`). Frozen: build a new table to change it.
 */
export const DEFAULT_ROUTE_TABLE: RouteTable = deepFreeze({
  version: 'default-1',
  rules: [
    {
      id: 'critical',
      categories: [],
      minPriority: Priority.PRIORITY_CRITICAL,
      lane: Lane.LANE_CRITICAL,
      destinations: [],
    },
    {
      id: 'high',
      categories: [],
      minPriority: Priority.PRIORITY_HIGH,
      lane: Lane.LANE_STANDARD,
      destinations: [],
    },
    {
      id: 'medium',
      categories: [],
      minPriority: Priority.PRIORITY_MEDIUM,
      lane: Lane.LANE_STANDARD,
      destinations: [],
    },
    { id: 'low', categories: [], minPriority: Priority.PRIORITY_LOW, lane: Lane.LANE_BULK, destinations: [] },
  ],
  defaultLane: Lane.LANE_BULK,
  archiveAll: true,
});

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
