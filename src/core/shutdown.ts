import type { Logger } from './logger.js';

/** The part of `process` shutdown needs: injectable so a test can send signals and watch the exit. */
export interface ShutdownHost {
  on(signal: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
  off(signal: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
  exit(code: number): void;
}

export interface ShutdownOptions {
  logger: Logger;
  /** Stops taking work and settles in-flight work (bounded by the caller or by `limitMs`). */
  stop: () => Promise<void>;
  /** Closes the store and anything else holding files; runs after `stop`. */
  close: () => void | Promise<void>;
  host?: ShutdownHost;
  /** Exit by then whatever happens (the contract is 10 s). */
  limitMs?: number;
}

export interface ShutdownHandle {
  /** Runs the shutdown as a signal would (tests, or a fatal error path). */
  shutdown(reason: string): Promise<void>;
  /** Removes the signal listeners (for tests and reuse). */
  dispose(): void;
}

/**
 * SIGINT/SIGTERM: stop taking work, let in-flight posts finish or be abandoned with the
 * ledger consistent (an abandoned part stays pending and is reconciled on the next start),
 * close the store, exit 0 — within `limitMs`. A second signal exits at once.
 */
export function installShutdown(options: ShutdownOptions): ShutdownHandle {
  const host = options.host ?? (process as unknown as ShutdownHost);
  const limitMs = options.limitMs ?? 10_000;
  let running: Promise<void> | null = null;

  const shutdown = (reason: string): Promise<void> => {
    if (running) return running;
    options.logger.info({ reason }, 'shutting down');
    const force = setTimeout(() => {
      options.logger.warn(
        'shutdown took too long; exiting with work abandoned (ledger rows stay pending)',
      );
      host.exit(0);
    }, limitMs - 500);
    force.unref?.();
    running = (async () => {
      try {
        await options.stop();
      } catch (error) {
        options.logger.error({ err: error }, 'error while stopping');
      }
      try {
        await options.close();
      } catch (error) {
        options.logger.error({ err: error }, 'error while closing');
      }
      clearTimeout(force);
      dispose();
      host.exit(0);
    })();
    return running;
  };

  const onSignal = (signal: 'SIGINT' | 'SIGTERM') => () => {
    if (running) {
      options.logger.warn({ signal }, 'second signal: exiting now');
      host.exit(1);
      return;
    }
    void shutdown(signal);
  };
  const onInt = onSignal('SIGINT');
  const onTerm = onSignal('SIGTERM');
  host.on('SIGINT', onInt);
  host.on('SIGTERM', onTerm);
  function dispose() {
    host.off('SIGINT', onInt);
    host.off('SIGTERM', onTerm);
  }
  return { shutdown, dispose };
}
