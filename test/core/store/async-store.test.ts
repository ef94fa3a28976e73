import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { isPaperboyError } from '../../../src/core/errors.js';
import { asyncStore } from '../../../src/core/store/async-store.js';
import { SqliteStore } from '../../../src/core/store/sqlite-store.js';
import { SHELL_CHANNEL } from '../../../src/core/store/store.js';

const T0 = new Date('2025-01-01T00:00:00.000Z');

describe('asyncStore over SQLite', () => {
  it('refuses a call on the outer store from inside its own transaction instead of hanging', async () => {
    const store = asyncStore(SqliteStore.open(':memory:'));
    const error = await store
      .transaction(async (tx) => {
        await tx.setPaused(SHELL_CHANNEL, true);
        // The outer store waits for this transaction to end: it would wait forever.
        await store.getChannel(SHELL_CHANNEL);
      })
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(isPaperboyError(error, 'INTERNAL')).toBe(true);
    expect((error as Error).message).toMatch(/use the store it hands/);
    // Rolled back, and the store is usable again.
    expect(await store.getChannel(SHELL_CHANNEL)).toBeNull();
    await store.putState('k', 'v', T0);
    expect(await store.getState('k')).toBe('v');
    await store.close();
  });

  it('lets a caller from elsewhere wait for the transaction, then see its writes', async () => {
    const store = asyncStore(SqliteStore.open(':memory:'));
    let opened!: () => void;
    const isOpen = new Promise<void>((resolve) => {
      opened = resolve;
    });
    let proceed!: () => void;
    const mayCommit = new Promise<void>((resolve) => {
      proceed = resolve;
    });
    const committed = store.transaction(async (tx) => {
      await tx.putState('k', 'inside', T0);
      opened();
      await mayCommit;
    });
    await isOpen;
    const read = store.getState('k');
    proceed();
    await committed;
    expect(await read).toBe('inside');
    await store.close();
  });

  it('retries a transaction whose BEGIN IMMEDIATE met another writer, running it once', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'async-busy-'));
    const sqlite = SqliteStore.open(path.join(dir, 'p.db'));
    sqlite.setBusyTimeout(0);
    const store = asyncStore(sqlite);
    const other = new Database(path.join(dir, 'p.db'));
    other.exec('BEGIN IMMEDIATE');
    let runs = 0;
    let began!: () => void;
    const running = new Promise<void>((resolve) => {
      began = resolve;
    });
    const committed = store.transaction(async (tx) => {
      runs++;
      began();
      await tx.putState('k', 'v', T0);
    });
    // The transaction waits on timers for the lock; release it once a read got through.
    expect(await store.getState('k')).toBeNull();
    expect(runs).toBe(0);
    other.exec('COMMIT');
    other.close();
    await running;
    await committed;
    expect(runs).toBe(1);
    expect(await store.getState('k')).toBe('v');
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
});
