import type { Bus } from '@patternmesh/bus';
import { LiveDocument } from '@patternmesh/control';
import { controlTopic, StageSubscriptions, type PipelineTopics } from '@patternmesh/pattern';
import { patternPulsarSchema, type RouteTable } from '@patternmesh/proto';
import { DEFAULT_ROUTE_TABLE, Router } from '@patternmesh/route';
import {
  AdminKeys,
  stageModule,
  type ConfigOf,
  type Logger,
  type ServiceModule,
} from '@patternmesh/service-kit';
import type { routerSettings } from './config';
import { routerAdminGrpcService } from './grpc';
import { routeTableDocument } from './route-table-document';
import { RouteStage } from './route-stage';

export interface RouterDeps {
  readonly bus: Bus;
  readonly logger: Logger;
  readonly topics: PipelineTopics;
  readonly config: ConfigOf<typeof routerSettings>;
}

/**
 * The router as a module: the classified → destinations stage plus its admin gRPC API. The route
 * table is a live document: every replica follows `control/routes` (and PATTERNMESH_ROUTES_PATH when
 * set), so a table applied through any replica's admin API is in force on all of them, and stays
 * after a restart.
 */
export function createRouter(deps: RouterDeps): ServiceModule {
  const routes = new LiveDocument<RouteTable>({
    kind: routeTableDocument,
    initial: { version: DEFAULT_ROUTE_TABLE.version, value: DEFAULT_ROUTE_TABLE },
    bus: deps.bus,
    topic: controlTopic(deps.topics.tenant, 'routes'),
    path: deps.config.PATTERNMESH_ROUTES_PATH,
    logger: deps.logger,
  });
  // Compiled once per version, swapped with the document: no message sees half a table.
  let router = new Router(routes.current.value, { archiveTopic: deps.topics.archive });
  routes.holder.onChange(({ value }) => {
    router = new Router(value, { archiveTopic: deps.topics.archive });
  });
  const stage = new RouteStage(
    () => router,
    deps.config.PATTERNMESH_PATTERN_SCHEMA ? patternPulsarSchema() : undefined,
  );
  const module = stageModule(deps, {
    name: 'router',
    stage: 'route',
    topic: deps.topics.classified,
    subscription: StageSubscriptions.router,
    transform: (message) => stage.transform(message),
    onPublished: (outputs) => stage.published(outputs),
    grpcServices: [
      routerAdminGrpcService(
        { routes, router: () => router },
        new AdminKeys(deps.config.PATTERNMESH_ADMIN_API_KEYS),
        deps.logger,
      ),
    ],
  });
  return {
    ...module,
    // Not ready when the stage stalls, nor when the table stopped following the control topic.
    ready: () => (module.ready?.() ?? true) && routes.healthy,
    // The table in force is known before the first pattern is routed.
    start: async () => {
      await routes.start();
      try {
        await module.start();
      } catch (error) {
        await routes.stop().catch(() => undefined);
        throw error;
      }
    },
    drain: async () => {
      try {
        await module.drain();
      } finally {
        await routes.stop();
      }
    },
  };
}
