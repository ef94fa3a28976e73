import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBot } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { manualClock } from '../src/core/clock.js';
import { channelLabel } from '../src/core/digest/post.js';
import { silentLogger } from '../src/core/logger.js';
import type { PaperRecord } from '../src/core/paper.js';
import { POLL_LOCK, PostgresStore } from '../src/core/store/postgres/postgres-store.js';
import type { ChannelRef } from '../src/core/store/store.js';
import { FeedServer } from './live/feed-server.js';
import { ROOT } from './live/harness.js';
import {
  FakePlatforms,
  fleetChannels,
  type Instance,
  spawnInstance,
} from './support/instance-fleet.js';
import { startPostgres, type TestPostgres } from './support/postgres.js';

const CHANNELS = 1000;
const INSTANCES = 3;
const DAY = '2026-06-10';

function paper(n: number, observedAt: string): PaperRecord {
  return {
    arxivId: `2606.${String(n).padStart(5, '0')}`,
    version: 1,
    title: `Shared store paper ${n} on tactile grasping`,
    abstract: 'An abstract about robots.',
    authors: ['A. Author'],
    authorCount: 1,
    publishedAt: DAY,
    source: 'arxiv-rss',
    links: {},
    upvotes: n,
    comments: null,
    keywords: [],
    categories: ['cs.RO'],
    comment: null,
    observedAt,
  };
}

let server: TestPostgres;
let url = '';

beforeAll(async () => {
  server = await startPostgres();
  url = await server.createDatabase('instances');
}, 60_000);

afterAll(async () => {
  await server?.stop();
});

/**
 * Resolves once no session holds the polling lock: the server ends a killed instance's
 * session (freeing its lock) when it sees the socket close. Takes and frees it once.
 */
async function untilPollingLockFree(): Promise<void> {
  await server.admin(url, 'SELECT pg_advisory_lock($1), pg_advisory_unlock($1)', [POLL_LOCK]);
}

describe('several instances over one PostgreSQL store', () => {
  const started: Instance[] = [];
  let platforms: FakePlatforms | undefined;
  let feeds: FeedServer | undefined;
  afterAll(async () => {
    for (const { child } of started)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await Promise.all(started.map((s) => s.exited));
    await platforms?.close();
    await feeds?.close();
  });

  it(`${INSTANCES} instances on Discord and Slack, ${CHANNELS} channels due the same minute, the polling one killed -9 mid-run: one digest each, polling moves`, async () => {
    const channels = fleetChannels(CHANNELS);
    // The instances' simulated time, which the platforms stamp messages with too.
    let now = Date.parse(`${DAY}T09:00:30Z`);
    platforms = await FakePlatforms.start(channels, () => now);
    feeds = await new FeedServer(() => Date.parse(`${DAY}T09:00:00Z`)).start();
    feeds.answer('/api/daily_papers', {
      body: readFileSync(path.join(ROOT, 'test/fixtures/hf-daily-papers.json'), 'utf8'),
    });
    // The instances load while the store is seeded; they start together once it is.
    for (let i = 0; i < INSTANCES; i++)
      started.push(
        spawnInstance({
          // The instance's name on its connections (pg_stat_activity), as deployments set it.
          CHILD_DATABASE_URL: `${url}?application_name=paperboy-${i}`,
          CHILD_NOW: new Date(now).toISOString(),
          CHILD_FEED_URL: feeds.baseUrl,
          CHILD_HANG_AFTER: '10',
          CHILD_HANG_PLATFORM: 'slack',
          ...platforms.env(),
        }),
      );
    // The store as the instances find it: channels due at 09:00 UTC, the day's papers.
    const seed = await createBot({
      config: loadConfig({ env: {} }),
      clock: manualClock(`${DAY}T08:00:00Z`),
      logger: silentLogger(),
      dataDir: ':memory:',
      databaseUrl: url,
      sampleFile: null,
    });
    await seed.store.transaction(async (tx) => {
      for (const ref of channels)
        await tx.setSchedule(
          ref,
          { time: '09:00', timeZone: 'UTC', days: 'every', size: 10 },
          new Date('2026-06-09T12:00:00Z'),
        );
    });
    await seed.store.upsertPapers(
      [1, 2, 3].map((n) => paper(n, `${DAY}T04:00:00.000Z`)),
      new Date(`${DAY}T08:00:00Z`),
    );
    await seed.close();
    await Promise.all(started.map((s) => s.out.until((l) => l === 'READY')));
    for (const { child } of started) child.stdin!.write('START\n');

    const tickDone = (i: number, nth: number) =>
      started[i]!.out.until(
        (l) =>
          l.startsWith('TICK-DONE ') &&
          started[i]!.out.lines.filter((x) => x.startsWith('TICK-DONE ')).length >= nth,
      );
    // The instance that took the polling lock (one, however many start together) dies
    // mid-run, inside a post Slack has taken and its ledger has not recorded.
    const poller = await Promise.any(
      started.map((s, i) => s.out.until((l) => l === 'POLL-LOCK').then(() => i)),
    );
    const stop = await started[poller]!.out.until(
      (l) => l.startsWith('HUNG ') || l.startsWith('TICK-DONE '),
    );
    if (!stop.startsWith('HUNG ')) throw new Error('the polling instance posted no Slack digest');
    const hung = stop.slice('HUNG '.length);
    started[poller]!.child.kill('SIGKILL');
    await started[poller]!.exited;
    const survivors = [...started.keys()].filter((i) => i !== poller);
    expect(started[poller]!.out.lines.some((l) => l.startsWith('TICK-DONE'))).toBe(false);
    expect(started.filter((s) => s.out.lines.includes('POLL-LOCK'))).toHaveLength(1);
    await Promise.all(survivors.map((i) => tickDone(i, 1)));
    await untilPollingLockFree();

    const tick = async (at: string, nth: number) => {
      now = Date.parse(at);
      for (const i of survivors) started[i]!.child.stdin!.write(`TICK ${at}\n`);
      const lines = await Promise.all(survivors.map((i) => tickDone(i, nth)));
      return lines.map((l) => JSON.parse(l.slice('TICK-DONE '.length)) as { polled: string[] });
    };
    // A minute on, one survivor holds the lock and polls (a poll is due every minute).
    const polls = await tick(`${DAY}T09:01:30Z`, 2);
    const pollers = survivors.filter((i) => started[i]!.out.lines.includes('POLL-LOCK'));
    expect(pollers).toHaveLength(1);
    expect(polls.map((p) => p.polled)).toEqual(
      survivors.map((i) => (i === pollers[0] ? ['huggingface'] : [])),
    );
    // After the dead instance's lease (2 min), a survivor settles the run it held: the
    // Slack adapter's history look-up finds the message, which is not posted again.
    const hungRef = channels.find((c) => channelLabel(c) === hung)!;
    const lookups = platforms.lookups(hungRef);
    await tick(`${DAY}T09:03:00Z`, 3);
    expect(platforms.lookups(hungRef)).toBeGreaterThan(lookups);

    // Every channel shows exactly one digest: the one its posted run records.
    const { rows } = await server.admin(
      url,
      `SELECT r.platform, r.workspace, r.channel, r.state, r.digest_date, r.paper_ids,
              p.delivery_id, p.message_id
         FROM digest_runs r JOIN digest_parts p ON p.run_id = r.id`,
    );
    expect(rows).toHaveLength(CHANNELS);
    const parts = new Map(rows.map((r) => [`${r.platform}:${r.workspace}:${r.channel}`, r]));
    for (const ref of channels) {
      const label = channelLabel(ref);
      const part = parts.get(label);
      expect(
        part && [part.state, part.digest_date, JSON.parse(part.paper_ids).length],
        label,
      ).toEqual(['posted', DAY, 3]);
      expect(platforms.shown(ref), label).toEqual([
        { id: part.message_id, deliveryId: part.delivery_id },
      ]);
    }
    const store = await PostgresStore.open(url);
    try {
      expect(await store.openDigestRuns()).toEqual([]);
      const listed = await store.listChannels();
      // Every cursor moved past the day's papers (planned at 09:00:30, or later after the kill).
      expect(listed.filter((c) => (c.lastDigestAt ?? '') >= `${DAY}T09:00:30`)).toHaveLength(
        CHANNELS,
      );
    } finally {
      await store.close();
    }
  }, 300_000);

  it('an instance searches what another stored at once; planning a channel is one instance at a time', async () => {
    const open = () =>
      createBot({
        config: loadConfig({ env: {} }),
        clock: manualClock(`${DAY}T10:00:00Z`),
        logger: silentLogger(),
        dataDir: ':memory:',
        databaseUrl: url,
        sampleFile: null,
      });
    const [a, b] = [await open(), await open()];
    try {
      await a.store.upsertPapers(
        [{ ...paper(900, `${DAY}T09:59:00.000Z`), title: 'Quokka locomotion on sand' }],
        new Date(`${DAY}T10:00:00Z`),
      );
      const found = await b.search.search('quokka locomotion');
      expect(found.hits.map((h) => h.paper.id)).toEqual(['2606.00900']);
      expect(await b.search.countTopicMatches('quokka', new Date(`${DAY}T00:00:00Z`))).toBe(1);

      const ref: ChannelRef = { platform: 'fake', workspace: 'w', channel: 'c0' };
      await a.store.transaction(async (tx) => {
        expect(await tx.tryLockChannel(ref)).toBe(true);
        await b.store.transaction(async (other) => {
          expect(await other.tryLockChannel(ref)).toBe(false);
          expect(await other.tryLockChannel({ ...ref, channel: 'c1' })).toBe(true);
        });
      });
      // Released with the transaction that held it.
      await b.store.transaction(async (tx) => expect(await tx.tryLockChannel(ref)).toBe(true));
    } finally {
      await a.close();
      await b.close();
    }
  }, 60_000);
});
