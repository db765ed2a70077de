export { createNormalizer, type NormalizerDeps } from './app';
export { normalizerSettings, loadNormalizerConfig } from './config';
export { normalizerService } from './service';
