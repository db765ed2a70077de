// Public API of @patternmesh/route: lanes, the route table's validation and defaults, and the Router
// that decides lane and destination topics for each classified pattern.
export { Router, UNCLASSIFIED_CATEGORY } from './router';
export type { RouterOptions, RouteDecision } from './router';
export { validateRouteTable, RouteTableError, isRouteTableError, DEFAULT_RULE_ID } from './validate';
export { DEFAULT_ROUTE_TABLE } from './default-table';
export { laneTopic } from './lanes';
export { TEMPLATE_PLACEHOLDERS, sanitizeTopicPart, expandTemplate, checkTemplate } from './topic';
export type { TemplateValues } from './topic';
