import type { Clock } from '../../core/clock.js';

/** Waits `ms` milliseconds; injected so tests pace without waiting. */
export type Wait = (ms: number) => Promise<void>;

export const realWait: Wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export interface Pacer {
  /** Resolves when the caller may send the next message to `key` (a channel). */
  turn(key: string): Promise<void>;
}

/**
 * Slack allows about one message per second per channel: each channel gets a queue
 * and a next-allowed time read from the injected clock.
 */
export function createPacer(options: { clock: Clock; intervalMs?: number; wait?: Wait }): Pacer {
  const interval = options.intervalMs ?? 1000;
  const wait = options.wait ?? realWait;
  const queues = new Map<string, Promise<void>>();
  const nextAt = new Map<string, number>();

  function prune(now: number): void {
    if (nextAt.size < 1000) return;
    for (const [key, at] of nextAt) if (at <= now) nextAt.delete(key);
  }

  return {
    turn(key) {
      const previous = queues.get(key) ?? Promise.resolve();
      const mine = previous.then(async () => {
        const now = options.clock.now().getTime();
        const at = nextAt.get(key) ?? now;
        if (at > now) await wait(at - now);
        nextAt.set(key, Math.max(at, options.clock.now().getTime()) + interval);
        prune(now);
      });
      const settled = mine.catch(() => undefined);
      queues.set(key, settled);
      void settled.then(() => {
        if (queues.get(key) === settled) queues.delete(key);
      });
      return mine;
    },
  };
}
