import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listed } from '../core/digest/situation-bot.js';
import { startPostgres, type TestPostgres } from '../support/postgres.js';
import { twoInstances } from './two-instances-pg.js';

// Review 15: with several instances, one polls (writes papers) while another plans digests.
// A digest window is (cursor, planner's now]; a paper's place in it is its first_seen_at, the
// writer's clock when it called upsertPapers — not when its transaction commits.

/** PgPaperTable's write lock (src/core/store/postgres/paper-table.ts): one paper writer at a time. */
const PAPER_WRITE_LOCK = 7_305_118_460_218;

let server: TestPostgres;
beforeAll(async () => {
  server = await startPostgres();
}, 60_000);
afterAll(async () => {
  await server?.stop();
});

describe('a paper written while another instance plans the digest', () => {
  it('is offered in a later digest when its write commits after the plan read the window', async () => {
    const url = await server.createDatabase('visibility');
    const { a: poller, b: planner, digests, close } = await twoInstances(url);
    const other = await server.pool(url).connect();
    try {
      // Another paper write is in progress (a poll's batch, a link lookup on a third
      // instance): it holds the papers' write lock for a moment.
      await other.query('BEGIN');
      await other.query('SELECT pg_advisory_xact_lock($1)', [PAPER_WRITE_LOCK]);
      // 09:00:00: the poller stores a paper it just fetched; stamped now, it waits its turn.
      poller.time.clock.set('2026-03-02T09:00:00Z');
      const fresh = listed('2603.00013', 'Grasping 13', '2026-03-02T09:00:00Z');
      const write = poller.bot.store.upsertPapers([fresh], poller.time.clock.now());
      // 09:00:01: the planner posts the 09:00 digest; the paper is not committed yet.
      planner.time.clock.set('2026-03-02T09:00:01Z');
      await planner.live.tick();
      expect(digests().length).toBeGreaterThan(0);
      await other.query('COMMIT');
      expect((await write).added).toEqual(['2603.00013']);
      // The paper is new (first seen 09:00:00) and matches the channel's topic, but the
      // cursor is at 09:00:01 already. The next days' digests must still bring it.
      for (const day of ['2026-03-03', '2026-03-04']) {
        planner.time.clock.set(`${day}T09:00:00Z`);
        await planner.live.tick();
      }
      const offered = digests().flatMap((m) => m.paperIds);
      expect(offered).toContain('2603.00013');
    } finally {
      other.release();
      await close();
    }
  });
});
