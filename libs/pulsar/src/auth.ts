/**
 * Authentication for CONNECT and AUTH_CHALLENGE. Only token auth (`auth_method_name = "token"`, the JWT
 * as `auth_data`) is implemented; a function supplier lets tokens be refreshed when the broker
 * challenges an expiring one.
 */

/** Supplies credentials for the binary protocol. */
export interface AuthProvider {
  readonly methodName: string;
  /** Credential bytes; called for every CONNECT and every AUTH_CHALLENGE. */
  authData(): Promise<Buffer>;
  /** `Authorization` header value for the admin REST API. */
  httpHeader(): Promise<string | undefined>;
}

/** A token is either fixed or fetched (e.g. re-read from a file) on each use. */
export type TokenSource = string | (() => string | Promise<string>);

/** Token authentication (`AuthenticationToken` in the Java client). */
export function tokenAuth(source: TokenSource): AuthProvider {
  const get = async (): Promise<string> => (typeof source === 'string' ? source : await source());
  return {
    methodName: 'token',
    authData: async () => Buffer.from(await get(), 'utf8'),
    httpHeader: async () => `Bearer ${await get()}`,
  };
}
