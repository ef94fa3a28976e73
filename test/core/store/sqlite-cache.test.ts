import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createBot } from '../../../src/app.js';
import { loadConfig } from '../../../src/config.js';
import { manualClock } from '../../../src/core/clock.js';
import { silentLogger } from '../../../src/core/logger.js';
import { SqliteStore, storeFile } from '../../../src/core/store/sqlite-store.js';

const cacheKb = (store: SqliteStore) =>
  -(store.db.pragma('cache_size', { simple: true }) as number);

describe('SQLite page cache', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('is 64 MB for a bulk writer and as asked otherwise; the bot asks for 8 MB', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'paperboy-cache-'));
    const ingest = SqliteStore.open(storeFile(dir));
    expect(cacheKb(ingest)).toBe(64 * 1024);
    ingest.close();
    const small = SqliteStore.open(storeFile(dir), { cacheMb: 4 });
    expect(cacheKb(small)).toBe(4 * 1024);
    small.close();
    const bot = await createBot({
      config: loadConfig({ env: {}, rootDir: process.cwd() }),
      clock: manualClock(new Date('2026-01-05T09:00:00Z')),
      logger: silentLogger(),
      dataDir: dir,
      sampleFile: null,
    });
    expect(cacheKb(bot.sqlite!)).toBe(8 * 1024);
    await bot.close();
  });
});
