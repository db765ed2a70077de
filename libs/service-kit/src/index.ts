export {
  loadConfig,
  redactConfig,
  describeSettings,
  setting,
  ConfigError,
  type ConfigOf,
  type Setting,
} from './config';
export { createLogger, REDACTED_PATHS, type Logger } from './logger';
export { Readiness, type ReadinessCheck } from './readiness';
export { createHttpServer, type HttpServerOptions } from './http';
export {
  createGrpcServer,
  listenGrpc,
  shutdownGrpc,
  toGrpcError,
  unaryHandler,
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
  type StageModuleDeps,
  type StageModuleSpec,
} from './stage';
export { commonSettings, stageSettings } from './settings';
export { runStandalone, connectBus, busSettings, type StandaloneContext } from './standalone';
export { AdminKeys, adminSettings, DEV_ADMIN_API_KEY } from './admin-keys';
