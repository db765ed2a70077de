import { runStandalone, stageSettings } from '@patternmesh/service-kit';
import { createRouter } from './app';

await runStandalone('router', stageSettings, (context) => createRouter(context));
