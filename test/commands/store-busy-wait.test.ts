import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setImmediate as nextTurn } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Bot, createBot } from '../../src/app.js';
import type { CommandContext } from '../../src/commands/context.js';
import { runCommand } from '../../src/commands/dispatch.js';
import { loadConfig } from '../../src/config.js';
import { manualClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';
import { asyncStore } from '../../src/core/store/async-store.js';
import { storeFile } from '../../src/core/store/sqlite-store.js';
import type { ChannelRef } from '../../src/core/store/store.js';
import { NOW } from './bot-fixture.js';

// Review 13 finding 1: a second process holding the write lock (a long `npm run ingest`
// transaction) froze the whole bot for up to 5 s, because the bot's connection waited out
// busy_timeout synchronously on the event loop. The wait is now asynchronous and bounded.

let dir: string;
let bot: Bot;
let next = 0;
beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'store-busy-'));
  bot = await createBot({
    config: loadConfig({ env: {} }),
    clock: manualClock(NOW),
    logger: silentLogger(),
    dataDir: dir,
    sampleFile: null,
  });
});
afterAll(async () => {
  await bot.close();
  rmSync(dir, { recursive: true, force: true });
});

function context(over: Partial<CommandContext> = {}): CommandContext {
  const channel: ChannelRef = { platform: 'fake', workspace: 'w', channel: `c${next++}` };
  return { ...bot.contextFor(channel, { id: 'U1', canManageChannel: true }, 'Manage'), ...over };
}

/** Another process's writer: holds the file's write lock until `release`. */
function holdWriteLock() {
  const other = new Database(storeFile(dir));
  other.exec('BEGIN IMMEDIATE');
  return {
    release() {
      if (!other.open) return;
      other.exec('COMMIT');
      other.close();
    },
  };
}

describe('a write waiting on another writer', () => {
  it('waits without blocking the event loop, and lands once the lock is released', async () => {
    const lock = holdWriteLock();
    const ctx = context();
    let settled = false;
    const write = runCommand({ name: 'subscribe', options: { topic: 'vision' } }, ctx).finally(
      () => {
        settled = true;
      },
    );
    // Meanwhile another command answers (a read: WAL readers do not wait for the writer)…
    const read = await runCommand({ name: 'subscriptions', options: {} }, context());
    expect(read.kind).not.toBe('error');
    // …and the loop keeps turning for a while, through several of the write's retries.
    let turns = 0;
    for (const started = performance.now(); performance.now() - started < 60; turns++)
      await nextTurn();
    expect(turns).toBeGreaterThan(10);
    expect(settled).toBe(false);
    lock.release();
    const reply = await write;
    expect(reply.kind).not.toBe('error');
    expect(await bot.store.listSubscriptions(ctx.channel)).toMatchObject([{ topic: 'vision' }]);
  });

  it('answers STORE_FAILED "busy" once the bounded wait is over, having written nothing', async () => {
    const lock = holdWriteLock();
    try {
      const ctx = context({ store: asyncStore(bot.sqlite!, { maxBusyWaitMs: 40 }) });
      for (const [name, options] of [
        ['subscribe', { topic: 'robotics' }],
        ['schedule', { time: '10:00' }],
      ] as const) {
        const reply = await runCommand({ name, options }, ctx);
        expect(reply).toMatchObject({
          kind: 'error',
          code: 'STORE_FAILED',
          message: expect.stringMatching(/busy/),
        });
      }
      lock.release();
      expect(await bot.store.listSubscriptions(ctx.channel)).toEqual([]);
      expect(await bot.store.getChannel(ctx.channel)).toBeNull();
    } finally {
      lock.release();
    }
  });
});
