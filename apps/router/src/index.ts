export { createRouter, type RouterDeps } from './app';
export { RouteProps } from './route-stage';
