export {
  loadConfig,
  redactConfig,
  describeSettings,
  setting,
  processEnvironment,
  ConfigError,
  type ConfigOf,
  type Setting,
} from './config';
