import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteStore, storeFile } from '../../src/core/store/sqlite-store.js';
import { failOnCrash } from '../adapters/discord/harness.js';
import { type HttpHarness, startHttpHarness } from '../adapters/discord-http/harness.js';
import { commandInteraction } from '../fakes/discord/interactions.js';

failOnCrash();

/** 30 words: the inline custom_id of its Next button passes 100 characters, so it is parked. */
const LONG_QUERY = Array.from({ length: 30 }, () => 'model').join(' ');

/**
 * Re-review 13 (review13 finding 4, "defer before any store work unless the answer is
 * already in hand", fixed for the click of a parked button only). Over HTTP interactions a
 * reply that comes back within `deferAfterMs` is answered in the HTTP response itself; its
 * Next button is parked first (`interactionMessage` → `PendingState.save` → `putState`), and
 * that store write is not bounded by `deferAfterMs`: the response waits for it. Beside
 * `npm run ingest` the search reads freely (WAL), but the write waits for the ingest's lock
 * (the async store retries SQLITE_BUSY for up to 5 s); on PostgreSQL it waits for a pool connection (up to connectionTimeoutMillis, 10 s, when the pool is
 * busy with a digest tick or the server is slow): a search that took 1 s and a write that
 * waited 2 s answer past Discord's 3 s ("The application did not respond"), though the results
 * were in hand. The gateway adapter defers before running the command, so it is not affected.
 */
describe('rereview13: the HTTP response of a quick reply waits for parking its Next button', () => {
  let h: HttpHarness;
  let release: () => void = () => undefined;
  let dir = '';
  afterEach(async () => {
    release();
    await h?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('answers (or defers) while the parking write is still waiting for the store', async () => {
    h = await startHttpHarness();
    const store = h.bot.store as unknown as Record<string, unknown>;
    const putState = h.bot.store.putState;
    let writes = 0;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    // From here the store's writes wait (a slow or saturated PostgreSQL pool).
    store.putState = async (key: string, value: string, now: Date) => {
      writes += 1;
      await gate;
      return putState(key, value, now);
    };
    const sent = commandInteraction(h.fake, 'search', { query: LONG_QUERY });
    const response = await Promise.race([
      h.post(JSON.stringify(sent.payload)).then((r) => `type ${r.body.type}`),
      // Discord's limit is 3 s from the click; the search itself answers in a few ms here.
      new Promise<string>((resolve) =>
        setTimeout(() => resolve('no HTTP response while the parking write waited'), 2500),
      ),
    ]);
    expect(writes).toBe(1);
    expect(response).toMatch(/^type (4|5)$/);
  });

  it('the same with the store file of `npm run ingest`, its batch holding the write lock', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'paperboy-rereview13-'));
    h = await startHttpHarness({ dataDir: dir });
    const ingest = SqliteStore.open(storeFile(dir));
    let posting: Promise<unknown> = Promise.resolve();
    try {
      // The ingest's next batch: the write lock is held; the bot's reads go on (WAL).
      ingest.db.exec('BEGIN IMMEDIATE');
      const post = (query: string) =>
        h
          .post(JSON.stringify(commandInteraction(h.fake, 'search', { query }).payload))
          .then(
            ({ body }) =>
              `type ${body.type}${body.data?.components?.length ? ' with buttons' : ''}`,
          );
      const within = (answer: Promise<string>) =>
        Promise.race([
          answer,
          new Promise<string>((resolve) =>
            setTimeout(() => resolve('no HTTP response while the ingest held the lock'), 2500),
          ),
        ]);
      // Control: a search whose buttons fit inline (nothing to park) answers under the lock.
      expect(await within(post('model'))).toBe('type 4 with buttons');
      posting = post(LONG_QUERY);
      const response = await within(posting as Promise<string>);
      expect(response).toMatch(/^type (4|5)$/);
    } finally {
      if (ingest.db.inTransaction) ingest.db.exec('ROLLBACK');
      await posting.catch(() => undefined);
      ingest.close();
    }
  });
});
