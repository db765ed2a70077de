export { uuidv7, isUuidV7 } from './ids';
export {
  pipelineTopics,
  isTopicName,
  topicTenant,
  StageSubscriptions,
  stageInputs,
  type PipelineTopics,
} from './topics';
export { MessageProps, messageKey, encodePattern, decodePattern, patternToJson } from './envelope';
export { resolvePath, isValidPath, type PathHit } from './path';
