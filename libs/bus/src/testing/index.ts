export { runBusConformance, type BusFactory } from './conformance';
export { collect, eventually, uniqueName } from './helpers';
