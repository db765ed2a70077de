export { createRouter, type RouterDeps } from './app';
export { routerService } from './service';
export { routeTableDocument } from './route-table-document';
