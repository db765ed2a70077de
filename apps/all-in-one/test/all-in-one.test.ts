import { runAllInOneSuite } from './suite';

runAllInOneSuite('all-in-one on the embedded bus', () => ({ PATTERNMESH_BUS: 'embedded' }));
