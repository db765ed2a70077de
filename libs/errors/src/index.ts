export { ERROR_CATALOG, GrpcStatus, isErrorCode, type CatalogEntry, type ErrorCode } from './catalog';
export {
  PatternmeshError,
  asPatternmeshError,
  isPatternmeshError,
  toPublicError,
  type ErrorDetail,
  type PatternmeshErrorOptions,
  type PublicError,
} from './error';
