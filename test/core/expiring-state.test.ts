import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { pageCustomId } from '../../src/adapters/discord/paging.js';
import { createActionCodec } from '../../src/adapters/slack/action-values.js';
import { manualClock } from '../../src/core/clock.js';
import {
  pruneExpiredState,
  pruneExpiredStateStep,
  STATE_TTL_DAYS,
} from '../../src/core/expiring-state.js';
import { createLogger } from '../../src/core/logger.js';
import { asyncStore } from '../../src/core/store/async-store.js';
import { PendingState } from '../../src/core/store/pending-state.js';
import { SqliteStore } from '../../src/core/store/sqlite-store.js';

const DAY_MS = 86_400_000;

function stateRows(store: SqliteStore): number {
  return store.db.prepare('SELECT count(*) FROM state').pluck().get() as number;
}

/** A query long enough that its paging request cannot be inlined in a custom_id / button value. */
function longQuery(day: number, n: number): string {
  return `day ${day} query ${n} ${'robotics manipulation grasping '.repeat(80)}`;
}

describe('paging and button state expires', () => {
  it('stays bounded over simulated months of daily paging, keeping other state and fresh keys', async () => {
    const store = SqliteStore.open(':memory:');
    const clock = manualClock('2025-01-01T09:00:00Z');
    const shared = asyncStore(store);
    const codec = createActionCodec(shared, clock);
    const pages = new PendingState(shared, () => clock.now());
    const logger = createLogger({ level: 'silent' });
    store.putState('health:huggingface', 'stale for 2 days', clock.now());
    const perDay = 20;
    let peak = 0;
    let lastDiscordId = '';
    let lastSlackValue = '';
    for (let day = 0; day < 180; day++) {
      for (let n = 0; n < perDay / 2; n++) {
        const args = { query: longQuery(day, n) };
        lastDiscordId = pageCustomId({ command: 'search', page: 2, args }, pages);
        lastSlackValue = codec.encode({ command: 'search', options: { ...args, page: 2 } });
      }
      await pages.save();
      await codec.save();
      // The tick runs every minute; once a day is enough to show the bound.
      await pruneExpiredStateStep(shared, clock.now(), logger);
      peak = Math.max(peak, stateRows(store));
      clock.advance(DAY_MS);
    }
    // Without pruning: 180 × 20 keys. With it: at most the last TTL days' worth (+ the health key).
    expect(peak).toBeLessThanOrEqual((STATE_TTL_DAYS + 1) * perDay + 1);
    expect(stateRows(store)).toBeGreaterThan(STATE_TTL_DAYS * perDay - perDay);
    expect(store.getState('health:huggingface')).toBe('stale for 2 days');
    expect(lastDiscordId.startsWith('pk:')).toBe(true);
    expect(lastSlackValue.startsWith('s:')).toBe(true);
    expect((await codec.decode(lastSlackValue))?.command).toBe('search');
    store.close();
  });

  it('keeps a key pressed again within the TTL, and drops one left alone past it', async () => {
    const store = SqliteStore.open(':memory:');
    const clock = manualClock('2025-03-01T00:00:00Z');
    const shared = asyncStore(store);
    const codec = createActionCodec(shared, clock);
    const kept = codec.encode({ command: 'search', options: { query: longQuery(1, 1) } });
    const dropped = codec.encode({ command: 'search', options: { query: longQuery(1, 2) } });
    await codec.save();
    clock.advance(20 * DAY_MS);
    // Rendering the same results again rewrites the key, which restarts its TTL.
    codec.encode({ command: 'search', options: { query: longQuery(1, 1) } });
    await codec.save();
    clock.advance(15 * DAY_MS);
    expect(await pruneExpiredState(shared, clock.now())).toBe(1);
    expect(await codec.decode(kept)).not.toBeNull();
    expect(await codec.decode(dropped)).toBeNull();
    store.close();
  });

  it('leaves a busy store to the next tick with a warning, and lets a real fault through', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const logger = createLogger({ level: 'debug', destination: sink });
    const store = SqliteStore.open(':memory:');
    const busy = Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
    const busyStore = Object.assign(Object.create(store) as SqliteStore, {
      pruneState: () => {
        throw busy;
      },
    });
    await expect(
      pruneExpiredStateStep(asyncStore(busyStore), new Date(), logger),
    ).resolves.toBeUndefined();
    expect(lines.join('')).toContain('retrying next tick');
    const broken = Object.assign(Object.create(store) as SqliteStore, {
      pruneState: () => {
        throw new Error('disk I/O error');
      },
    });
    await expect(pruneExpiredStateStep(asyncStore(broken), new Date(), logger)).rejects.toThrow(
      'disk I/O',
    );
    store.close();
  });
});
