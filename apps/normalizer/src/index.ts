export { createNormalizer, type NormalizerDeps } from './app';
export { normalizerSettings, loadNormalizerConfig } from './config';
