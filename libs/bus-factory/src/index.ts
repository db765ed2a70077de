export { busSettings, connectBus, type BusConfig, type BusProvisioning } from './connect';
