import { AsyncLocalStorage } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { isBusyError } from '../background-step.js';
import { PaperboyError } from '../errors.js';
import type { Paper } from '../paper.js';
import type { SqliteStore } from './sqlite-store.js';
import type { Store } from './store.js';
import { STORE_BUSY_MESSAGE } from './store-fault.js';

type Promised<F> = F extends (...args: infer A) => infer R ? (...args: A) => Promise<R> : never;

/**
 * The Store interface with every method asynchronous, derived from `Store` so the two never
 * drift: a database over the network (PostgreSQL) cannot answer synchronously.
 * `transaction` takes an async function and hands it the store to use inside it;
 * `iteratePapers` yields its batches asynchronously.
 */
export type AsyncStore = {
  [K in Exclude<keyof Store, 'transaction' | 'iteratePapers'>]: Promised<Store[K]>;
} & {
  /**
   * Runs `fn` in one transaction: every write made through `tx` lands, or none does. Use only
   * `tx` inside `fn`; calls on the outer store wait (SQLite) or run outside the transaction.
   * A transaction inside `tx` is a savepoint: its failure undoes only its own writes.
   */
  transaction<T>(fn: (tx: AsyncStore) => Promise<T>): Promise<T>;
  /** Every paper, in insertion order, a batch at a time (for rebuilds). */
  iteratePapers(batchSize?: number): AsyncIterable<Paper[]>;
};

export interface AsyncStoreOptions {
  /**
   * How long a call waits in all for another connection's write lock (default 5000 ms), then
   * fails with STORE_FAILED "the database is busy". The wait is asynchronous: open the
   * SqliteStore with a short `busyTimeoutMs` so SQLite itself never blocks the event loop long.
   */
  maxBusyWaitMs?: number;
}

const DEFAULT_MAX_BUSY_WAIT_MS = 5000;
/** Backoff between tries while another connection writes: 5, 10, 20 … 100 ms. */
const FIRST_RETRY_MS = 5;
const MAX_RETRY_MS = 100;

/**
 * The SQLite store behind the async interface. better-sqlite3 is one synchronous connection,
 * so a transaction that awaits between its writes holds it open (BEGIN IMMEDIATE … COMMIT)
 * and every other call through this adapter waits until it ends: otherwise a call made
 * meanwhile would run inside the open transaction and be committed or rolled back with it.
 * Code that calls the wrapped SqliteStore directly is not held back, so while a transaction
 * is open all access goes through the adapter.
 *
 * A call that finds the file locked by another connection (SQLITE_BUSY: an `npm run ingest`)
 * is tried again after a timer, so the event loop keeps serving meanwhile. That is safe
 * because nothing of it ran: each store method is one statement or one IMMEDIATE transaction,
 * which fails at BEGIN; a `transaction` is retried only when its BEGIN IMMEDIATE failed.
 */
export function asyncStore(store: SqliteStore, options: AsyncStoreOptions = {}): AsyncStore {
  const maxBusyWaitMs = options.maxBusyWaitMs ?? DEFAULT_MAX_BUSY_WAIT_MS;
  let busy: Promise<void> | null = null;
  let savepoints = 0;
  /** The open transaction, seen from the code it runs (to refuse a wait that never ends). */
  const running = new AsyncLocalStorage<Promise<void>>();

  /**
   * Runs `work` once no transaction is open. The check and `work` run in one synchronous
   * step: after any await, another caller may have opened a transaction meanwhile.
   * A synchronous SQLITE_BUSY from `work` is retried (when `retry`) until maxBusyWaitMs.
   */
  async function whenIdle<T>(work: () => T, retry = true): Promise<T> {
    if (busy && running.getStore() === busy)
      throw new PaperboyError(
        'INTERNAL',
        'Inside Store.transaction, use the store it hands to the function: ' +
          'the outer store waits for the transaction to end.',
      );
    const started = performance.now();
    for (let delay = FIRST_RETRY_MS; ; delay = Math.min(delay * 2, MAX_RETRY_MS)) {
      while (busy) await busy;
      try {
        return work();
      } catch (error) {
        if (!retry || !isBusyError(error)) throw error;
        const left = maxBusyWaitMs - (performance.now() - started);
        if (left <= 0)
          throw new PaperboyError('STORE_FAILED', STORE_BUSY_MESSAGE, { cause: error });
        await sleep(Math.min(delay, left));
      }
    }
  }

  /** A view whose calls run on the connection as it is (inside a transaction or not). */
  function view(
    gate: <T>(work: () => T, retry?: boolean) => Promise<T>,
    isOpen: () => boolean,
    nested: boolean,
  ): AsyncStore {
    const check = () => {
      if (!isOpen())
        throw new PaperboyError('INTERNAL', 'A store transaction was used after it ended.');
    };
    const special: Partial<AsyncStore> = {
      iteratePapers: (batchSize?: number) => ({
        async *[Symbol.asyncIterator]() {
          const pages = store.iteratePapers(batchSize)[Symbol.iterator]();
          for (;;) {
            // Not retried: a generator that threw is finished, a retry would end the pages early.
            const page = await gate(() => {
              check();
              return pages.next();
            }, false);
            if (page.done) return;
            yield page.value;
          }
        },
      }),
      transaction: async <T>(fn: (tx: AsyncStore) => Promise<T>): Promise<T> => {
        return gate(() => {
          check();
          return nested ? savepoint(fn) : outermost(fn);
        });
      },
      close: async () => {
        if (nested) throw new PaperboyError('INTERNAL', 'Close the store, not a transaction.');
        await gate(() => store.close());
      },
    };
    // Every other method passes through (a Proxy, so methods added to Store need no list here).
    const methods = new Map<string | symbol, unknown>();
    return new Proxy(special, {
      get(target, name) {
        if (name in target) return target[name as keyof AsyncStore];
        let method = methods.get(name);
        if (!method) {
          const sync = (store as unknown as Record<string | symbol, unknown>)[name];
          if (typeof sync !== 'function') return undefined;
          method = (...args: unknown[]) =>
            gate(() => {
              check();
              return sync.apply(store, args);
            });
          methods.set(name, method);
        }
        return method;
      },
    }) as AsyncStore;
  }

  /**
   * BEGIN IMMEDIATE runs synchronously, so its SQLITE_BUSY (nothing of `fn` ran yet) reaches
   * whenIdle, which retries it; a failure once `fn` runs is never retried.
   */
  function outermost<T>(fn: (tx: AsyncStore) => Promise<T>): Promise<T> {
    store.db.exec('BEGIN IMMEDIATE');
    return runOpen(fn);
  }

  async function runOpen<T>(fn: (tx: AsyncStore) => Promise<T>): Promise<T> {
    let release!: () => void;
    const mine = new Promise<void>((resolve) => {
      release = resolve;
    });
    busy = mine;
    let open = true;
    try {
      const tx = view(direct, () => open, true);
      const result = await running.run(mine, () => fn(tx));
      store.db.exec('COMMIT');
      return result;
    } catch (error) {
      if (store.db.inTransaction) store.db.exec('ROLLBACK');
      throw error;
    } finally {
      open = false;
      busy = null;
      release();
    }
  }

  async function savepoint<T>(fn: (tx: AsyncStore) => Promise<T>): Promise<T> {
    const name = `async_sp_${++savepoints}`;
    let open = true;
    store.db.exec(`SAVEPOINT ${name}`);
    try {
      const result = await fn(view(direct, () => open, true));
      store.db.exec(`RELEASE ${name}`);
      return result;
    } catch (error) {
      if (store.db.inTransaction) store.db.exec(`ROLLBACK TO ${name}; RELEASE ${name}`);
      throw error;
    } finally {
      open = false;
    }
  }

  return view(whenIdle, () => true, false);
}

/** Inside a transaction: its own calls run at once. */
async function direct<T>(work: () => T): Promise<T> {
  return work();
}
