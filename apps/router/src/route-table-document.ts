import { DocumentInvalidError, type DocumentKind } from '@patternmesh/control';
import { RouteTable } from '@patternmesh/proto';
import { validateRouteTable } from '@patternmesh/route';

/**
 * Route tables as control documents. Their JSON form is the proto3 JSON mapping of `RouteTable`
 * (camelCase fields, enum names such as "LANE_CRITICAL"), the same in files, on the control topic
 * and in `GetRouteTable` answers.
 */
export const routeTableDocument: DocumentKind<RouteTable> = {
  kind: 'routes',
  parse(json) {
    if (json === null || typeof json !== 'object' || Array.isArray(json)) {
      throw new DocumentInvalidError('routes', ['a route table is a JSON object']);
    }
    const table = RouteTable.fromJSON(json);
    const problems = validateRouteTable(table);
    if (problems.length > 0) throw new DocumentInvalidError('routes', problems);
    return { version: table.version, value: table };
  },
  toJson: (table) => RouteTable.toJSON(table),
};
