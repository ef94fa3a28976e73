import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBot } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { manualClock } from '../src/core/clock.js';
import { silentLogger } from '../src/core/logger.js';
import type { PaperRecord } from '../src/core/paper.js';
import { PostgresStore } from '../src/core/store/postgres/postgres-store.js';
import type { ChannelRef } from '../src/core/store/store.js';
import type { FakeMessage } from './fakes/platform-poster.js';
import { childEnv, watch } from './live/child-process.js';
import { FeedServer } from './live/feed-server.js';
import { ROOT } from './live/harness.js';
import { leaseTimePasses } from './support/lease-time.js';
import { startPostgres, type TestPostgres } from './support/postgres.js';

const CHANNELS = 200;
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

describe('several instances over one PostgreSQL store', () => {
  const children: ChildProcess[] = [];
  let dir = '';
  afterAll(() => {
    for (const child of children)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it(`${INSTANCES} instances, ${CHANNELS} channels due the same minute, the polling one killed -9 mid-run: one digest each, polling moves`, async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'paperboy-instances-'));
    const messagesFile = path.join(dir, 'messages.jsonl');
    writeFileSync(messagesFile, '');
    // The store as the instances find it: channels due at 09:00 UTC, the day's papers.
    const seed = await createBot({
      config: loadConfig({ env: {} }),
      clock: manualClock(`${DAY}T08:00:00Z`),
      logger: silentLogger(),
      dataDir: ':memory:',
      databaseUrl: url,
      sampleFile: null,
    });
    for (let i = 0; i < CHANNELS; i++) {
      const ref: ChannelRef = { platform: 'fake', workspace: 'w', channel: `c${i}` };
      await seed.store.setSchedule(
        ref,
        { time: '09:00', timeZone: 'UTC', days: 'every', size: 10 },
        new Date('2026-06-09T12:00:00Z'),
      );
    }
    await seed.store.upsertPapers(
      [1, 2, 3].map((n) => paper(n, `${DAY}T04:00:00.000Z`)),
      new Date(`${DAY}T08:00:00Z`),
    );
    await seed.close();
    const feeds = await new FeedServer(() => Date.parse(`${DAY}T09:00:00Z`)).start();
    feeds.answer('/api/daily_papers', {
      body: readFileSync(path.join(ROOT, 'test/fixtures/hf-daily-papers.json'), 'utf8'),
    });

    const started = Array.from({ length: INSTANCES }, (_, i) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'test/live/instance-child.ts'], {
        cwd: ROOT,
        env: childEnv({
          // The instance's name on its connections (pg_stat_activity), as deployments set it.
          CHILD_DATABASE_URL: `${url}?application_name=paperboy-${i}`,
          CHILD_MESSAGES: messagesFile,
          CHILD_NOW: `${DAY}T09:00:30Z`,
          CHILD_FEED_URL: feeds.baseUrl,
        }),
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      children.push(child);
      return { child, out: watch(child), exited: new Promise((r) => child.once('exit', r)) };
    });
    const posts = (i: number) =>
      started[i]!.out.lines.filter((l) => l.startsWith('POSTED ')).length;
    const tickDone = (i: number, nth: number) =>
      started[i]!.out.until(
        (l) =>
          l.startsWith('TICK-DONE ') &&
          started[i]!.out.lines.filter((x) => x.startsWith('TICK-DONE ')).length >= nth,
      );

    // The instance that took the polling lock (one, however many start together) dies mid-run.
    const poller = await Promise.any(
      started.map((s, i) => s.out.until((l) => l === 'POLL-LOCK').then(() => i)),
    );
    await started[poller]!.out.until(() => posts(poller) >= 10);
    started[poller]!.child.kill('SIGKILL');
    await started[poller]!.exited;
    const survivors = [...started.keys()].filter((i) => i !== poller);
    expect(started[poller]!.out.lines.some((l) => l.startsWith('TICK-DONE'))).toBe(false);
    expect(started.filter((s) => s.out.lines.includes('POLL-LOCK'))).toHaveLength(1);
    await Promise.all(survivors.map((i) => tickDone(i, 1)));

    // After the dead instance's lease (2 min): the survivors settle what it held.
    const tick = async (at: string, nth: number) => {
      for (const i of survivors) started[i]!.child.stdin!.write(`TICK ${at}\n`);
      const lines = await Promise.all(survivors.map((i) => tickDone(i, nth)));
      return lines.map((l) => JSON.parse(l.slice('TICK-DONE '.length)) as { polled: string[] });
    };
    // Leases are measured on the server's clock, which the children's clocks do not move.
    await leaseTimePasses(server, url, 3 * 60_000);
    await tick(`${DAY}T09:03:00Z`, 2);
    // The lock moved to a survivor; the next due poll (5 minutes on) runs there, once.
    const polls = await tick(`${DAY}T09:06:00Z`, 3);
    expect(polls.flatMap((p) => p.polled)).toEqual(['huggingface']);
    expect(survivors.filter((i) => started[i]!.out.lines.includes('POLL-LOCK'))).toHaveLength(1);
    await feeds.close();

    const messages: FakeMessage[] = readFileSync(messagesFile, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    for (let c = 0; c < CHANNELS; c++) {
      const mine = messages.filter((m) => m.channel === `fake:w:c${c}`);
      expect(
        mine.map((m) => [m.date, m.paperIds.length]),
        `c${c}`,
      ).toEqual([[DAY, 3]]);
    }
    expect(messages).toHaveLength(CHANNELS);
    const store = await PostgresStore.open(url);
    try {
      expect(await store.openDigestRuns()).toEqual([]);
      const channels = await store.listChannels();
      // Every cursor moved past the day's papers (planned at 09:00:30, or later after a kill).
      expect(channels.filter((c) => (c.lastDigestAt ?? '') >= `${DAY}T09:00:30`)).toHaveLength(
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
