import type { Logger } from './logger.js';

/** SQLite's "another connection holds the lock" family (SQLITE_BUSY, SQLITE_BUSY_SNAPSHOT, …). */
export function isBusyError(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^SQLITE_(BUSY|LOCKED)/.test(code)) return true;
  }
  return false;
}

/**
 * Runs one background step of the tick. Another process writing the same file (an ingest)
 * can hold the lock past busy_timeout: that is logged and the step is owed to the next tick,
 * instead of aborting the rest of this one. Any other error is a fault and propagates.
 * Returns whether the step ran.
 */
export async function stepOrRetryNextTick(
  logger: Logger,
  step: string,
  work: () => unknown,
): Promise<boolean> {
  try {
    await work();
    return true;
  } catch (error) {
    if (!isBusyError(error)) throw error;
    logger.warn({ step, err: error }, 'the store is busy with another writer; retrying next tick');
    return false;
  }
}
