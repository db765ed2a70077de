import { PatternmeshError } from '@patternmesh/errors';
import {
  RouterAdminServiceService,
  type RouterAdminServiceServer,
  type ApplyRouteTableRequest,
  type ApplyRouteTableResponse,
  type ExplainRouteRequest,
  type ExplainRouteResponse,
  type GetRouteTableRequest,
  type GetRouteTableResponse,
} from '@patternmesh/proto';
import { validateRouteTable } from '@patternmesh/route';
import {
  grpcService,
  unaryHandler,
  type AdminKeys,
  type GrpcServiceRegistration,
  type Logger,
} from '@patternmesh/service-kit';
import type { RouteTableHolder } from './route-table-holder';

/** Read, replace (validated, applied atomically) and explain the route table; every call needs an admin key. */
export function routerAdminGrpcService(
  holder: RouteTableHolder,
  adminKeys: AdminKeys,
  logger: Logger,
): GrpcServiceRegistration {
  return grpcService<RouterAdminServiceServer>(RouterAdminServiceService, {
    getRouteTable: unaryHandler<GetRouteTableRequest, GetRouteTableResponse>(
      logger,
      async (_request, call) => {
        adminKeys.check(call.metadata);
        return { table: holder.table };
      },
    ),
    applyRouteTable: unaryHandler<ApplyRouteTableRequest, ApplyRouteTableResponse>(
      logger,
      async (request, call) => {
        adminKeys.check(call.metadata);
        if (!request.table) {
          throw new PatternmeshError('ROUTE_TABLE_INVALID', {
            details: [{ field: 'table', problem: 'is required' }],
          });
        }
        const problems = validateRouteTable(request.table);
        if (problems.length > 0) {
          throw new PatternmeshError('ROUTE_TABLE_INVALID', {
            message: `The route table is not valid: ${problems.join('; ')}.`,
            details: problems.map((problem) => ({ problem })),
          });
        }
        holder.apply(request.table);
        logger.info(
          { version: request.table.version, rules: request.table.rules.length },
          'route table applied',
        );
        return { version: request.table.version };
      },
    ),
    explainRoute: unaryHandler<ExplainRouteRequest, ExplainRouteResponse>(logger, async (request, call) => {
      adminKeys.check(call.metadata);
      if (!request.pattern) {
        throw new PatternmeshError('VALIDATION_FAILED', {
          details: [{ field: 'pattern', problem: 'is required' }],
        });
      }
      const { route, trace } = holder.router.decide(request.pattern);
      return { route, trace };
    }),
  });
}
