// @patternmesh/pulsar-tools: a local Apache Pulsar standalone broker (jars from Maven Central, run on
// 127.0.0.1) and the Java pulsar-perf tool, for tests and development. See ../README.md.
export {
  type BrokerHandle,
  type BrokerPorts,
  type BrokerState,
  type BrokerStatus,
  type BrokerUrls,
  type EnsureBrokerOptions,
  type JavaOpts,
  type StartResult,
  type StopResult,
  DEFAULT_GC,
  DEFAULT_MEM,
  DEFAULT_READY_TIMEOUT_MS,
  DEFAULT_STOP_TIMEOUT_MS,
  brokerStatus,
  createToken,
  ensureBroker,
  startForeground,
  stopBroker,
} from './broker';
export {
  type JavaInfo,
  DEFAULT_PULSAR_VERSION,
  baseJvmFlags,
  cacheRoot,
  defaultDataDir,
  findJava,
  STANDALONE_MAIN,
} from './common';
export { signToken } from './config';
export { type BrokerEndpoint, type EnvOrLocalOptions, brokerFromEnvOrLocal } from './env-broker';
export { perfCli, pulsarPerfCommand } from './perf-command';
export { type Pins, type ResolveOptions, type ResolveResult, resolvePulsar } from './resolve';
export { compactTopic, deleteTenants, deleteTopics } from './cleanup';
export {
  type PythonClient,
  PYTHON_PROTOBUF_VERSION,
  PYTHON_PULSAR_CLIENT_VERSION,
  ensurePythonPulsarClient,
  pythonClientDir,
  pythonScript,
} from './python-client';
