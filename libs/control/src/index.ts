// Live configuration as versioned documents: validate, swap atomically, converge every replica
// through a compacted control topic, and follow mounted files.
export {
  DocumentInvalidError,
  isDocumentInvalidError,
  type DocumentKind,
  type DocumentOrigin,
  type Versioned,
} from './document';
export { DocumentHolder, type OfferResult, type HolderEvents } from './holder';
export { readDocuments, watchDocuments, type FileDocument } from './file-source';
export { ControlTopicReader, publishDocument, DOCUMENT_KEY } from './topic-source';
export { LiveDocument, type LiveDocumentOptions, type ControlLogger } from './live-document';
