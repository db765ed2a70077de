// Live configuration as versioned documents: validate, swap atomically, converge every replica
// through a compacted control topic, and follow mounted files.
export {
  DocumentInvalidError,
  isDocumentInvalidError,
  type DocumentKind,
  type DocumentOrigin,
  type Versioned,
} from './document';
export { DocumentHolder, documentDigest, type OfferResult, type HolderEvents, type Current } from './holder';
export { readDocuments, watchDocuments, type FileDocument } from './file-source';
export { followCompacted, type FollowCompactedOptions } from './compacted';
export { ControlTopicReader, publishDocument, publishFileRecord, ControlKeys } from './topic-source';
export {
  LiveDocument,
  PublishTimeoutError,
  type LiveDocumentOptions,
  type ControlLogger,
} from './live-document';
