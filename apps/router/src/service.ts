import { defineService } from '@patternmesh/service-kit';
import { createRouter } from './app';
import { routerSettings } from './config';

export const routerService = defineService({
  name: 'router',
  summary: 'classified → lane topics and the archive, by the route table in force (live, versioned)',
  settings: routerSettings,
  build: (context) => createRouter(context),
});
