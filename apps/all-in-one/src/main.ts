import { runAllInOne } from './run';

await runAllInOne();
