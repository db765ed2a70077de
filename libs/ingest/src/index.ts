export { validatePatternInput, DEFAULT_LIMITS, type IngestLimits } from './validate';
export { patternInputFromRestBody } from './rest-body';
export { buildPattern } from './envelope';
export { ApiKeyRegistry, apiKeyFromHeaders } from './api-keys';
export { IdempotencyCache } from './idempotency';
export { TenantRateLimiter } from './rate-limit';
