import { adminSettings, runStandalone, stageSettings } from '@patternmesh/service-kit';
import { createRouter } from './app';

await runStandalone('router', { ...stageSettings, ...adminSettings }, (context) => createRouter(context));
