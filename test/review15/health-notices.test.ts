import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type TestPostgres } from '../support/postgres.js';
import { twoInstances } from './two-instances-pg.js';

// Review 15: every instance runs the source-health check each tick and tells the admin
// channel about a change. The "already reported" mark is a read, then a write.

const ADMIN = { platform: 'shell', workspace: 'w1', channel: 'admin' } as const;

let server: TestPostgres;

/** Until two sessions wait for a row lock on the database (both instances' writes of the mark). */
async function bothWaitingOnTheMark(url: string): Promise<void> {
  const database = new URL(url).pathname.slice(1);
  for (let i = 0; i < 500; i++) {
    const { rows } = await server.admin(
      url,
      `SELECT count(*)::int AS n FROM pg_stat_activity
       WHERE datname = $1 AND wait_event_type = 'Lock'`,
      [database],
    );
    if (rows[0]?.n === 2) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('the two instances never both waited to write the health mark');
}
beforeAll(async () => {
  server = await startPostgres();
}, 60_000);
afterAll(async () => {
  await server?.stop();
});

describe('source health notices with several instances', () => {
  it('a source that starts failing is reported to the admin channel once, not once per instance', async () => {
    const url = await server.createDatabase('health');
    const { a, b, platform, close } = await twoInstances(url, '2026-03-02T06:00:00Z', {
      health: { adminChannel: 'shell:w1:admin' },
    });
    try {
      // Both have finished their start-up tick (a later tick() would join it).
      await a.live.tick();
      await b.live.tick();
      await a.bot.store.recordSourceRun({
        source: 'arxiv-api',
        startedAt: '2026-03-02T06:30:00.000Z',
        finishedAt: '2026-03-02T06:30:05.000Z',
        ok: false,
        fetched: 0,
        added: 0,
        messages: ['arXiv API answered 503'],
      });
      // The mark as the last healthy tick left it ('' = no warning), and the timing of two
      // ticks in the same second made deterministic: the mark's row is briefly locked (as by
      // the other instance's write), so both instances read it before either writes it.
      await a.bot.store.putState('health-warning:arxiv-api', '', new Date('2026-03-02T06:00:00Z'));
      const other = await server.pool(url).connect();
      await other.query('BEGIN');
      await other.query("SELECT 1 FROM state WHERE key = 'health-warning:arxiv-api' FOR UPDATE");
      for (const { time } of [a, b]) time.clock.set('2026-03-02T06:31:00Z');
      const ticks = Promise.all([a.live.tick(), b.live.tick()]);
      await bothWaitingOnTheMark(url);
      await other.query('COMMIT');
      other.release();
      await ticks;
      const notices = platform.in(ADMIN).filter((m) => m.kind === 'notice');
      expect(notices.map((m) => m.title)).toHaveLength(1);
    } finally {
      await close();
    }
  });
});
