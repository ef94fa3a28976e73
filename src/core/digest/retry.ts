import { isPaperboyError } from '../errors.js';

const MINUTE = 60_000;
/** Waits after the 1st, 2nd, … failed attempt; hourly after the last. */
const BACKOFF_MINUTES = [1, 2, 5, 10, 30, 60];

export type PostFailure =
  /** The channel refuses the bot (gone, archived, no permission): retried at its next due time. */
  | { kind: 'refused'; reason: string }
  /** 5xx, 429, network, timeout: retried with backoff. */
  | { kind: 'transient'; reason: string; retryAfterMs: number | null };

/** What a poster's error means for the run. Adapters throw CHANNEL_UNAVAILABLE for refusals. */
export function classifyFailure(error: unknown): PostFailure {
  if (isPaperboyError(error, 'CHANNEL_UNAVAILABLE'))
    return { kind: 'refused', reason: error.message };
  const reason = isPaperboyError(error)
    ? error.message
    : `unexpected: ${(error as Error)?.message ?? String(error)}`;
  return { kind: 'transient', reason, retryAfterMs: retryAfterOf(error) };
}

/** A Retry-After the platform asked for, when the error (or its cause) carries one. */
function retryAfterOf(error: unknown): number | null {
  for (let e: unknown = error, depth = 0; e && depth < 3; depth++) {
    const value = (e as { retryAfterMs?: unknown }).retryAfterMs;
    if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
    e = (e as { cause?: unknown }).cause;
  }
  return null;
}

/** When attempt number `attempts` (1-based, just failed) is followed by the next one. */
export function nextAttemptAt(now: Date, attempts: number, retryAfterMs: number | null): Date {
  const index = Math.min(Math.max(attempts, 1), BACKOFF_MINUTES.length) - 1;
  const backoff = (BACKOFF_MINUTES[index] ?? 60) * MINUTE;
  return new Date(now.getTime() + Math.max(backoff, retryAfterMs ?? 0));
}
