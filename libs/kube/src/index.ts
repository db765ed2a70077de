export {
  HpaActuator,
  type FloorDecision,
  type FloorOutcome,
  type HpaActuatorOptions,
  type HpaTarget,
} from './actuator';
export { FloorAnnotations, OPT_IN_VALUE } from './annotations';
export { foreignController } from './ownership';
