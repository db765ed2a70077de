// The messaging port on Apache Pulsar, through the project's own client (@patternmesh/pulsar).
export { PulsarBus, type PulsarBusOptions } from './pulsar-bus';
export { provisionPulsar, type ProvisionOptions } from './provision';
export { readBacklog } from './backlog';
export { pulsarSettings } from './settings';
export { connectPulsarBus, provisionPulsarFromSettings, type AdapterLogger } from './connect';
