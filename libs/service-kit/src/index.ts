export {
  loadConfig,
  redactConfig,
  describeSettings,
  setting,
  ConfigError,
  type ConfigOf,
  type Setting,
} from '@patternmesh/config';
export { createLogger, REDACTED_PATHS, type Logger } from './logger';
export { Readiness, type ReadinessCheck } from './readiness';
export { createHttpServer, type HttpServerOptions } from './http';
export {
  createGrpcServer,
  listenGrpc,
  shutdownGrpc,
  toGrpcError,
  unaryHandler,
  grpcService,
  metadataValue,
  GrpcErrorMetadata,
  type GrpcServiceRegistration,
  type GrpcServerOptions,
} from './grpc';
export { exitOnSignals } from './lifecycle';
export { startHost, type ServiceModule, type HostOptions, type RunningHost } from './host';
export {
  StageWorker,
  stageModule,
  type StageWorkerOptions,
  type StageOutput,
  type StageTransform,
  type StageModuleDeps,
  type StageModuleSpec,
} from './stage';
export { commonSettings, stageSettings } from './settings';
export {
  defineService,
  startServices,
  runServices,
  settingsOf,
  loadServicesConfig,
  combinedNeeds,
  hostSettings,
  ExitCodes,
  type ServiceDefinition,
  type ServiceContext,
  type HostNeeds,
  type HostConfig,
  type RunningServices,
  type StartServicesOptions,
  type RunServicesOptions,
} from './service';
export { AdminKeys, adminSettings, DEV_ADMIN_API_KEY } from './admin-keys';
