export { createRouter, type RouterDeps } from './app';
export { routerService } from './service';
