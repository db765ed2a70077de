import { flushTelemetry } from '@patternmesh/telemetry';
import type { Logger } from './logger';

/**
 * Graceful shutdown on SIGTERM/SIGINT: run `stop` once (it stops intake, drains in-flight work, then
 * closes connections), and exit. A second signal or the grace period running out forces the exit,
 * so a stuck drain cannot keep a pod in Terminating forever.
 */
export function exitOnSignals(logger: Logger, stop: () => Promise<void>, graceMs = 25_000): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'shutting down: stopping intake and draining');
    const force = setTimeout(() => {
      logger.error({ graceMs }, 'drain did not finish in time: exiting');
      process.exit(1);
    }, graceMs);
    force.unref();
    stop().then(
      async () => {
        logger.info('stopped cleanly');
        await flushTelemetry();
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
