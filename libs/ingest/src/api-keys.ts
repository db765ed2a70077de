import { presentedApiKey } from '@patternmesh/pattern';
import { hash } from 'node:crypto';
import { PatternmeshError } from '@patternmesh/errors';

/**
 * API keys to tenants. Keys are held only as SHA-256 digests, and a presented key is looked up by its
 * digest, so neither memory dumps nor timing reveal them: what a lookup's timing could depend on is
 * the digest, which says nothing about the key (finding a key for a digest is a preimage attack).
 */
const TENANT = /^[a-z0-9][a-z0-9_-]{0,62}$/;

export class ApiKeyRegistry {
  private readonly byDigest = new Map<string, string>();

  /**
   * @param reservedTenants tenant names no key may map to: the pipeline's own Pulsar tenant (its
   * topics hold every tenant's data) and Pulsar's `public` and `pulsar`.
   * @throws Error naming every invalid tenant (a tenant becomes a Pulsar tenant name).
   */
  constructor(keysToTenants: Readonly<Record<string, string>>, reservedTenants: readonly string[] = []) {
    const reserved = new Set(['public', 'pulsar', ...reservedTenants]);
    const problems = Object.values(keysToTenants).flatMap((tenant) =>
      !TENANT.test(tenant)
        ? [`tenant "${tenant}" must be 1-63 of a-z 0-9 _ - starting with a letter or digit`]
        : reserved.has(tenant)
          ? [`tenant "${tenant}" is reserved`]
          : [],
    );
    if (problems.length > 0) throw new Error(`invalid API key tenants: ${[...new Set(problems)].join('; ')}`);
    for (const [key, tenant] of Object.entries(keysToTenants)) {
      this.byDigest.set(hash('sha256', key), tenant);
    }
  }

  /** The tenant for a presented key; throws API_KEY_MISSING or API_KEY_INVALID. */
  authenticate(presented: string | undefined): string {
    if (!presented) throw new PatternmeshError('API_KEY_MISSING');
    // One-shot hash(): a third of createHash().update().digest()'s cost, paid on every request.
    const tenant = this.byDigest.get(hash('sha256', presented));
    if (tenant === undefined) throw new PatternmeshError('API_KEY_INVALID');
    return tenant;
  }
}

/** The key an HTTP request presents (`x-api-key`, else `Authorization: Bearer <key>`). */
export function apiKeyFromHeaders(
  headers: Readonly<Record<string, string | string[] | undefined>>,
): string | undefined {
  return presentedApiKey((key) => {
    const value = headers[key];
    return Array.isArray(value) ? value[0] : value;
  });
}
