export { createClassifier, type ClassifierDeps } from './app';
export { classifierSettings, loadClassifierConfig } from './config';
export { classifierService } from './service';
