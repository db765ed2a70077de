import { isDocumentInvalidError, PublishTimeoutError, type LiveDocument } from '@patternmesh/control';
import { PatternmeshError } from '@patternmesh/errors';
import {
  RouterAdminServiceService,
  type ApplyRouteTableRequest,
  type ApplyRouteTableResponse,
  type ExplainRouteRequest,
  type ExplainRouteResponse,
  type GetRouteTableRequest,
  type GetRouteTableResponse,
  type RouterAdminServiceServer,
  type RouteTable,
} from '@patternmesh/proto';
import type { Router } from '@patternmesh/route';
import {
  grpcService,
  unaryHandler,
  type AdminKeys,
  type GrpcServiceRegistration,
  type Logger,
} from '@patternmesh/service-kit';

export interface RouteTables {
  readonly routes: LiveDocument<RouteTable>;
  readonly router: () => Router;
}

/**
 * Read, replace and explain the route table; every call needs an admin key. `ApplyRouteTable`
 * validates, publishes the table to the control topic and answers once this replica has it in force;
 * every other replica reads the same message.
 */
export function routerAdminGrpcService(
  tables: RouteTables,
  adminKeys: AdminKeys,
  logger: Logger,
): GrpcServiceRegistration {
  return grpcService<RouterAdminServiceServer>(RouterAdminServiceService, {
    getRouteTable: unaryHandler<GetRouteTableRequest, GetRouteTableResponse>(
      logger,
      async (_request, call) => {
        adminKeys.check(call.metadata);
        return { table: tables.routes.current.value };
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
        try {
          const version = await tables.routes.publish(request.table);
          logger.info({ version, rules: request.table.rules.length }, 'route table published');
          return { version };
        } catch (error) {
          if (error instanceof PublishTimeoutError) {
            // Stored on the control topic, just not confirmed here in time: it may still apply.
            throw new PatternmeshError('TIMEOUT', {
              message: `Table ${error.version} was published but this replica had not read it back in time; check GetRouteTable and retry if needed.`,
              retryAfterSeconds: 1,
            });
          }
          if (!isDocumentInvalidError(error)) throw error;
          throw new PatternmeshError('ROUTE_TABLE_INVALID', {
            message: `The route table is not valid: ${error.problems.join('; ')}.`,
            details: error.problems.map((problem) => ({ problem })),
          });
        }
      },
    ),
    explainRoute: unaryHandler<ExplainRouteRequest, ExplainRouteResponse>(logger, async (request, call) => {
      adminKeys.check(call.metadata);
      if (!request.pattern) {
        throw new PatternmeshError('VALIDATION_FAILED', {
          details: [{ field: 'pattern', problem: 'is required' }],
        });
      }
      const { route, trace } = tables.router().decide(request.pattern);
      return { route, trace };
    }),
  });
}
