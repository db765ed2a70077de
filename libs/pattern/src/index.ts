export { uuidv7, isUuidV7 } from './ids';
export {
  pipelineTopics,
  controlTopic,
  controlTopics,
  laneTopic,
  laneNamespace,
  deadLetterTopicName,
  parseTopicName,
  topicNamespace,
  StageSubscriptions,
  stageInputs,
  CONTROL_KINDS,
  DEFAULT_TOPIC_TENANT,
  type ControlKind,
  type PipelineTopics,
  type TopicName,
} from './topics';
export {
  LANE_NAMES,
  PRIORITY_NAMES,
  laneName,
  isLaneName,
  isRoutableLane,
  parseLane,
  priorityName,
  isPriorityName,
  priorityFromName,
  severityName,
  severityFromName,
  isSeverityLevel,
  SEVERITY_LEVELS,
  enumValue,
  type LaneName,
  type PriorityName,
  type SeverityName,
  type SeverityLevel,
} from './enums';
export {
  MessageProps,
  ErrorMetadataKeys,
  ControlProps,
  TraceProps,
  DeadLetterProps,
  CredentialKeys,
  presentedApiKey,
} from './properties';
export { messageKey, encodePattern, decodePattern, patternToJson } from './envelope';
export { resolvePath, isValidPath, type PathHit } from './path';
