import type { AsyncStore } from './async-store.js';

/**
 * Keyed state a pure renderer needs kept (a paging request too long for a button), collected
 * while it renders and written by the caller before it sends the message: renderers stay
 * synchronous while the store is not.
 */
export class PendingState {
  private readonly writes = new Map<string, string>();

  constructor(
    private readonly store: Pick<AsyncStore, 'putState'>,
    private readonly now: () => Date,
  ) {}

  put(key: string, value: string): void {
    this.writes.set(key, value);
  }

  /** Writes what was collected (before the message that refers to it is sent). */
  async save(): Promise<void> {
    const writes = [...this.writes];
    this.writes.clear();
    const now = this.now();
    for (const [key, value] of writes) await this.store.putState(key, value, now);
  }
}
