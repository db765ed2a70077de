import { createHash, timingSafeEqual } from 'node:crypto';
import type * as grpc from '@grpc/grpc-js';
import { PatternmeshError } from '@patternmesh/errors';
import { presentedApiKey } from '@patternmesh/pattern';
import { setting } from '@patternmesh/config';
import { metadataValue } from './grpc';

/** Development default, printed at start-up by the all-in-one; replace it anywhere real. */
export const DEV_ADMIN_API_KEY = 'pm-dev-admin-key';

export const adminSettings = {
  PATTERNMESH_ADMIN_API_KEYS: setting.string(
    "comma-separated keys for the admin gRPC APIs (route table changes); tenants' keys never grant admin",
    { default: DEV_ADMIN_API_KEY, secret: true },
  ),
};

const digest = (key: string): Buffer => createHash('sha256').update(key).digest();

/**
 * Operator keys for admin APIs. Admin RPCs share the gRPC port with the public Ingest API, so they
 * authenticate on their own: without this, anyone who can reach the port could rewrite routes and
 * send one tenant's patterns to another's topics.
 */
export class AdminKeys {
  private readonly digests: Buffer[];

  constructor(commaSeparated: string) {
    this.digests = commaSeparated
      .split(',')
      .map((k) => k.trim())
      .filter(Boolean)
      .map(digest);
  }

  /** Throws API_KEY_MISSING / API_KEY_INVALID unless the call carries an admin key (`x-api-key` or Bearer). */
  check(metadata: grpc.Metadata): void {
    const presented = presentedApiKey((key) => metadataValue(metadata, key));
    if (!presented)
      throw new PatternmeshError('API_KEY_MISSING', { message: 'This admin API needs an admin key.' });
    const candidate = digest(presented);
    if (!this.digests.some((d) => timingSafeEqual(d, candidate))) {
      throw new PatternmeshError('API_KEY_INVALID', { message: 'The key is not an admin key.' });
    }
  }
}
