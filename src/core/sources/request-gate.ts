import type { Clock } from '../clock.js';
import { PaperboyError } from '../errors.js';

/** Waits `ms` of the injected clock; resolves early (without throwing) when `signal` aborts. */
type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/**
 * Serialises requests to one host and keeps them at least `minIntervalMs` apart,
 * measured from the end of one to the start of the next on the injected clock
 * (arXiv asks for one connection at a time, 3 s apart).
 */
export class RequestGate {
  private tail: Promise<void> = Promise.resolve();
  private lastFinishedAt: number | null = null;

  constructor(
    private readonly minIntervalMs: number,
    private readonly clock: Clock,
    private readonly sleep: Sleep,
  ) {}

  run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const result = this.tail.then(async () => {
      if (this.lastFinishedAt !== null) {
        // Loop: a sleep that ends early (clock moved less than asked) must not let a request through.
        for (;;) {
          const wait = this.lastFinishedAt + this.minIntervalMs - this.clock.now().getTime();
          if (wait <= 0 || signal?.aborted) break;
          await this.sleep(wait, signal);
        }
      }
      if (signal?.aborted) throw abortedError();
      try {
        return await task();
      } finally {
        this.lastFinishedAt = this.clock.now().getTime();
      }
    });
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}

export function abortedError(): PaperboyError {
  return new PaperboyError(
    'SOURCE_TIMEOUT',
    'The request was abandoned because Paperboy is stopping.',
  );
}
