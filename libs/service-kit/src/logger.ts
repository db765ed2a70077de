import { CredentialKeys } from '@patternmesh/pattern';
import { pino, type Logger } from 'pino';

export type { Logger } from 'pino';

/** Paths whose values never reach the logs: API keys, tokens and credentials. */
export const REDACTED_PATHS = [
  `req.headers["${CredentialKeys.apiKey}"]`,
  `req.headers.${CredentialKeys.authorization}`,
  `headers["${CredentialKeys.apiKey}"]`,
  `headers.${CredentialKeys.authorization}`,
  '*.apiKey',
  '*.apiKeys',
  '*.token',
  '*.password',
  'config.PATTERNMESH_API_KEYS',
];

/** Structured JSON logs, one object per line, with the service name on every line. */
export function createLogger(
  service: string,
  options: { level?: string; destination?: pino.DestinationStream } = {},
): Logger {
  return pino(
    {
      name: service,
      level: options.level ?? 'info',
      base: { service },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination,
  );
}
