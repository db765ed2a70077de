import { DocumentInvalidError, type DocumentKind } from './document';

/** A small document kind for the tests: `{version, limit}` with 0 < limit ≤ 100. */
export interface Limits {
  readonly version: string;
  readonly limit: number;
}

export const limitsKind: DocumentKind<Limits> = {
  kind: 'rules',
  parse(json) {
    const doc = json as Partial<Limits> | null;
    const problems: string[] = [];
    if (!doc || typeof doc !== 'object') throw new DocumentInvalidError('rules', ['not an object']);
    if (typeof doc.version !== 'string' || doc.version === '') problems.push('version is empty');
    if (typeof doc.limit !== 'number' || doc.limit <= 0 || doc.limit > 100)
      problems.push('limit must be in (0, 100]');
    if (problems.length > 0) throw new DocumentInvalidError('rules', problems);
    return { version: doc.version!, value: { version: doc.version!, limit: doc.limit! } };
  },
  toJson: (value) => ({ ...value }),
};
