import type { Bus } from '@patternmesh/bus';
import { StageSubscriptions, type PipelineTopics } from '@patternmesh/pattern';
import { DEFAULT_ROUTE_TABLE } from '@patternmesh/route';
import {
  AdminKeys,
  stageModule,
  type adminSettings,
  type ConfigOf,
  type Logger,
  type ServiceModule,
  type stageSettings,
} from '@patternmesh/service-kit';
import { routerAdminGrpcService } from './grpc';
import { RouteStage } from './route-stage';
import { RouteTableHolder } from './route-table-holder';

export interface RouterDeps {
  readonly bus: Bus;
  readonly logger: Logger;
  readonly topics: PipelineTopics;
  readonly config: ConfigOf<typeof stageSettings> & ConfigOf<typeof adminSettings>;
}

/** The router as a module: the classified → destinations stage plus its admin gRPC API. */
export function createRouter(deps: RouterDeps): ServiceModule {
  const holder = new RouteTableHolder(DEFAULT_ROUTE_TABLE, deps.topics.archive);
  const stage = new RouteStage(deps.bus, () => holder.router);
  return stageModule(deps, {
    name: 'router',
    stage: 'route',
    topic: deps.topics.classified,
    subscription: StageSubscriptions.router,
    process: (message) => stage.process(message),
    grpcServices: [
      routerAdminGrpcService(holder, new AdminKeys(deps.config.PATTERNMESH_ADMIN_API_KEYS), deps.logger),
    ],
  });
}
