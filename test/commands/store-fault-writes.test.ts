import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/commands/dispatch.js';
import { createLogger } from '../../src/core/logger.js';
import { memoryBot } from './bot-fixture.js';

let fixture: Awaited<ReturnType<typeof memoryBot>>;
let dir: string;
beforeAll(async () => {
  fixture = await memoryBot();
  dir = mkdtempSync(path.join(os.tmpdir(), 'store-fault-'));
});
afterAll(async () => {
  await fixture.bot.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The error better-sqlite3 really throws when another process holds the write lock. */
function busyError(): unknown {
  const file = path.join(dir, 'locked.db');
  const holder = new Database(file);
  holder.exec('CREATE TABLE IF NOT EXISTS t (x)');
  holder.exec('BEGIN IMMEDIATE');
  const other = new Database(file, { timeout: 0 });
  try {
    other.exec('INSERT INTO t VALUES (1)');
    return null;
  } catch (error) {
    return error;
  } finally {
    holder.exec('ROLLBACK');
    other.close();
    holder.close();
  }
}

// Review 13: reproduced black-box (a second process holding BEGIN IMMEDIATE while
// `subscribe`, `unsubscribe` and `schedule` ran in the terminal): each answered the
// generic INTERNAL "Something went wrong inside Paperboy", counted as outcome INTERNAL.
// Issue 13 item 5 asks for a specific error reply for a store fault (search already
// answers STORE_FAILED through its guard; the channel/subscription writes do not).
describe('a store fault in a write command is a specific store error, not INTERNAL', () => {
  for (const [name, options, method] of [
    ['subscribe', { topic: 'robotics' }, 'addSubscription'],
    ['unsubscribe', { topic: 'robotics' }, 'removeSubscription'],
    ['schedule', { time: '10:00' }, 'setSchedule'],
  ] as const) {
    it(`${name}: SQLITE_BUSY from another writer`, async () => {
      const error = busyError();
      expect((error as { code?: string }).code).toBe('SQLITE_BUSY');
      const failing = new Proxy(fixture.bot.store, {
        get(target, key, receiver) {
          if (key === method)
            return async () => {
              throw error;
            };
          return Reflect.get(target, key, receiver);
        },
      });
      const reply = await runCommand(
        { name, options },
        fixture.context({ store: failing as never }),
      );
      expect(reply).toMatchObject({ kind: 'error', code: 'STORE_FAILED' });
    });
  }
});

/** A store whose `method` throws `error`, and a logger whose lines are kept. */
function failingContext(method: string, error: unknown) {
  const lines: Array<Record<string, unknown>> = [];
  const destination = {
    write(line: string) {
      lines.push(JSON.parse(line));
      return true;
    },
  } as unknown as NodeJS.WritableStream;
  const store = new Proxy(fixture.bot.store, {
    get(target, key, receiver) {
      if (key === method)
        return async () => {
          throw error;
        };
      return Reflect.get(target, key, receiver);
    },
  });
  const logger = createLogger({ level: 'error', destination });
  return { ctx: fixture.context({ store: store as never, logger }), lines };
}

describe('the command boundary tells store faults from bugs', () => {
  it('a busy store says so, and the log line keeps the SQLite cause', async () => {
    const { ctx, lines } = failingContext('addSubscription', busyError());
    const reply = await runCommand({ name: 'subscribe', options: { topic: 'vision' } }, ctx);
    expect(reply).toMatchObject({ code: 'STORE_FAILED', message: expect.stringMatching(/busy/) });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ code: 'STORE_FAILED', command: 'subscribe' });
    expect(JSON.stringify(lines[0]?.err)).toContain('SQLITE_BUSY');
  });

  it('a PostgreSQL error is a store fault too', async () => {
    const error = new pg.DatabaseError('could not serialize access', 0, 'error');
    const { ctx } = failingContext('setSchedule', error);
    const reply = await runCommand({ name: 'schedule', options: { time: '09:00' } }, ctx);
    expect(reply).toMatchObject({ kind: 'error', code: 'STORE_FAILED' });
    expect((reply as { message: string }).message).not.toMatch(/serialize/);
  });

  it('a bug that is not the database stays INTERNAL', async () => {
    const { ctx } = failingContext('addSubscription', new TypeError('x is undefined'));
    const reply = await runCommand({ name: 'subscribe', options: { topic: 'vision' } }, ctx);
    expect(reply).toMatchObject({ kind: 'error', code: 'INTERNAL' });
  });
});
