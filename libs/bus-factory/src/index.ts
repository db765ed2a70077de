export { busSettings, connectBus, provisionBus, type BusConfig, type BusProvisioning } from './connect';
