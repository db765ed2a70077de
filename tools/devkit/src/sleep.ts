// Re-exported so callers take every helper from one place.
export { setTimeout as sleep } from 'node:timers/promises';
