export {
  startAllInOne,
  allInOneServices,
  loadAllInOneConfig,
  type AllInOne,
  type AllInOneOptions,
  type AllInOneConfig,
} from './app';
export { runAllInOne } from './run';
