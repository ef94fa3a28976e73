import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/core/logger.js';
import { backfillArxiv } from '../../../src/core/sources/fetch-arxiv-api.js';
import { arxivRssFetcher, arxivRssUrl } from '../../../src/core/sources/fetch-arxiv-rss.js';
import { pollSource } from '../../../src/core/sources/fetch-source.js';
import { politeGet, RequestGate } from '../../../src/core/sources/http.js';
import { asyncStore } from '../../../src/core/store/async-store.js';
import { SqliteStore } from '../../../src/core/store/sqlite-store.js';
import { FeedServer } from '../../live/feed-server.js';
import { fixture, testConfig, testHttp, testTime } from '../../live/harness.js';

const RSS = '/rss/cs.RO+cs.CL';

describe('arXiv fetchers', () => {
  let server: FeedServer;
  let store: SqliteStore;
  let time: ReturnType<typeof testTime>;
  let gate: RequestGate;

  beforeEach(async () => {
    time = testTime('2026-06-10T06:00:00Z');
    server = await new FeedServer(() => time.clock.now().getTime()).start();
    store = SqliteStore.open(':memory:');
    gate = new RequestGate(3_000, time.clock, time.sleep);
  });
  afterEach(async () => {
    store.close();
    await server.close();
  });

  function pollRss() {
    return pollSource('arxiv-rss', arxivRssFetcher(testConfig(server.baseUrl), gate), {
      http: testHttp(time),
      store: asyncStore(store),
      clock: time.clock,
      logger: silentLogger(),
    });
  }

  it('joins categories with + under the configured base', () => {
    expect(arxivRssUrl('https://rss.arxiv.org/rss/', ['cs.AI', 'cs.LG'])).toBe(
      'https://rss.arxiv.org/rss/cs.AI+cs.LG',
    );
  });

  it('stores new and cross-listed papers; a replace of an unknown paper is not stored as new', async () => {
    server.answer(RSS, { body: fixture('arxiv-rss-wed.xml') });
    const result = await pollRss();
    expect(result.run).toMatchObject({ ok: true, fetched: 4, added: 3 });
    expect(store.getPaper('2501.00077')).toBeNull();
    expect(store.getPaper('2606.02005')?.authors).toEqual([
      'Olga Petrova',
      "Sam O'Neil",
      'Wei Zhang',
    ]);
  });

  it('a replace of a known paper updates it (v2) without adding a paper', async () => {
    server.answer(
      RSS,
      { body: fixture('arxiv-rss-wed.xml') },
      { body: fixture('arxiv-rss-thu-replace.xml') },
    );
    store.upsertPapers(
      [
        {
          arxivId: '2606.01001',
          version: 1,
          title: 'Dexterous Robot Grasping with Tactile Diffusion Policies',
          abstract: 'v1',
          authors: [],
          authorCount: null,
          publishedAt: '2026-06-08',
          source: 'huggingface',
          links: {},
          upvotes: 25,
          comments: null,
          keywords: [],
          categories: [],
          comment: null,
          observedAt: '2026-06-09T23:00:00.000Z',
        },
      ],
      time.clock.now(),
    );
    await pollRss();
    time.clock.advance(24 * 3_600_000);
    const second = await pollRss();
    expect(second.run.added).toBe(1);
    expect(second.updated).toContain('2606.01001');
    expect(store.getPaper('2606.01001')).toMatchObject({
      version: 2,
      // Updated in place: still the paper first seen two polls ago, still dated as published.
      firstSeenAt: '2026-06-10T06:00:00.000Z',
      publishedAt: '2026-06-08',
    });
  });

  it('an empty weekend feed is a successful, empty run', async () => {
    time.clock.set('2026-06-13T12:00:00Z');
    server.answer(RSS, { body: fixture('arxiv-rss-weekend.xml') });
    const result = await pollRss();
    expect(result.run).toMatchObject({ ok: true, fetched: 0, added: 0 });
  });

  it('malformed XML fails the run and loses nothing', async () => {
    server.answer(
      RSS,
      { body: fixture('arxiv-rss-wed.xml') },
      { body: '<rss><channel><item><title>Broken' },
    );
    await pollRss();
    const before = store.countPapers();
    time.clock.advance(3 * 3_600_000);
    const broken = await pollRss();
    expect(broken.run.ok).toBe(false);
    expect(broken.run.messages.join(' ')).toMatch(/RSS|XML|parse/i);
    expect(store.countPapers()).toBe(before);
  });

  it('requests through the gate are never concurrent and never closer than 3 s of the injected clock', async () => {
    server.answer('/a', { status: 503 }, { body: 'ok' });
    server.answer('/b', { body: 'ok' });
    server.answer('/c', { status: 429, headers: { 'retry-after': '1' } }, { body: 'ok' });
    const http = testHttp(time);
    const get = (path: string) =>
      politeGet(http, { url: `${server.baseUrl}${path}`, sourceLabel: 'arXiv', gate });
    const results = await Promise.all([get('/a'), get('/b'), get('/c'), get('/b')]);
    expect(results.every((r) => r.kind === 'ok')).toBe(true);
    expect(server.seen.length).toBeGreaterThanOrEqual(6);
    expect(Math.max(...server.seen.map((r) => r.inFlight))).toBe(1);
    const times = server.seen.map((r) => r.at);
    for (let i = 1; i < times.length; i++)
      expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(3_000);
  });

  it('backfills through the query API newest first, stopping at --since', async () => {
    server.answer(
      '/api/query',
      { body: fixture('arxiv-api-page1.xml') },
      { body: fixture('arxiv-api-page2.xml') },
    );
    const http = testHttp(time);
    const pages = [];
    for await (const page of backfillArxiv(http, {
      apiBaseUrl: `${server.baseUrl}/api/query`,
      query: 'cat:cs.RO',
      since: '2024-06-01',
      pageSize: 3,
      gate,
    })) {
      pages.push(page);
    }
    expect(pages.map((p) => p.records.map((r) => r.arxivId))).toEqual([
      ['2406.00003', '2406.00002', '2406.00001'],
      ['2406.00900'],
    ]);
    const urls = server
      .requests('/api/query')
      .map((r) => new URL(r.path, server.baseUrl).searchParams);
    expect(urls.map((u) => [u.get('search_query'), u.get('start'), u.get('max_results')])).toEqual([
      ['cat:cs.RO', '0', '3'],
      ['cat:cs.RO', '3', '3'],
    ]);
    expect(urls[0]?.get('sortBy')).toBe('submittedDate');
    const [first, second] = server.requests('/api/query');
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(3_000);
  });

  it('caps max_results at 2000 and rejects a bad --since', async () => {
    server.answer('/api/query', { body: fixture('arxiv-api-page2.xml') });
    const http = testHttp(time);
    const run = backfillArxiv(http, {
      apiBaseUrl: `${server.baseUrl}/api/query`,
      query: 'cat:cs.RO',
      since: '2024-06-01',
      pageSize: 50_000,
      gate,
    });
    await run.next();
    expect(new URL(server.seen[0]!.path, server.baseUrl).searchParams.get('max_results')).toBe(
      '2000',
    );
    const bad = backfillArxiv(http, {
      apiBaseUrl: server.baseUrl,
      query: 'x',
      since: 'June',
      gate,
    });
    await expect(bad.next()).rejects.toThrow(/YYYY-MM-DD/);
  });
});
