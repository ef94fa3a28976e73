import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/core/logger.js';
import { dailyPapersUrl, huggingFaceFetcher } from '../../../src/core/sources/fetch-huggingface.js';
import { pollSource } from '../../../src/core/sources/fetch-source.js';
import { asyncStore } from '../../../src/core/store/async-store.js';
import { SqliteStore } from '../../../src/core/store/sqlite-store.js';
import { FeedServer } from '../../live/feed-server.js';
import { fixture, testConfig, testHttp, testTime } from '../../live/harness.js';

const PATH = '/api/daily_papers';

describe('Hugging Face fetcher', () => {
  let server: FeedServer;
  let store: SqliteStore;
  let time: ReturnType<typeof testTime>;

  beforeEach(async () => {
    time = testTime('2026-06-10T06:00:00Z');
    server = await new FeedServer(() => time.clock.now().getTime()).start();
    store = SqliteStore.open(':memory:');
  });
  afterEach(async () => {
    store.close();
    await server.close();
  });

  function poll(over: Parameters<typeof testHttp>[1] = {}) {
    const config = testConfig(server.baseUrl);
    return pollSource('huggingface', huggingFaceFetcher(config), {
      http: testHttp(time, over),
      store: asyncStore(store),
      clock: time.clock,
      logger: silentLogger(),
    });
  }

  it('builds the URL from the configured base', () => {
    expect(dailyPapersUrl('http://127.0.0.1:9/mirror/')).toBe(
      'http://127.0.0.1:9/mirror/api/daily_papers',
    );
  });

  it('stores the list, sends a descriptive User-Agent and records the run', async () => {
    server.answer(PATH, {
      body: fixture('hf-day1.json'),
      headers: { 'content-type': 'application/json' },
    });
    const result = await poll();
    expect(result.run).toMatchObject({ source: 'huggingface', ok: true, fetched: 4, added: 4 });
    expect(store.countPapers()).toBe(4);
    expect(store.getPaper('2606.01001')?.title).toBe(
      'Dexterous Robot Grasping with Tactile Diffusion Policies',
    );
    expect(store.getPaper('2606.01003')?.upvotes).toBeNull();
    const [request] = server.requests(PATH);
    expect(request?.headers['user-agent']).toMatch(
      /^Paperboy\/\d+\.\d+\.\d+ \(\+https?:\/\/\S+; research paper bot\)$/,
    );
    expect(store.recentSourceRuns('huggingface', 5)).toHaveLength(1);
  });

  it('makes conditional requests with the remembered ETag / Last-Modified and keeps papers on 304', async () => {
    server.answer(
      PATH,
      {
        body: fixture('hf-day1.json'),
        headers: { etag: '"day1"', 'last-modified': 'Wed, 10 Jun 2026 05:00:00 GMT' },
      },
      { status: 304 },
    );
    await poll();
    const second = await poll();
    expect(second.notModified).toBe(true);
    expect(second.run.ok).toBe(true);
    const [, conditional] = server.requests(PATH);
    expect(conditional?.headers['if-none-match']).toBe('"day1"');
    expect(conditional?.headers['if-modified-since']).toBe('Wed, 10 Jun 2026 05:00:00 GMT');
    expect(store.countPapers()).toBe(4);
  });

  it('honours Retry-After on 429 (seconds) and 503 (HTTP date) before retrying', async () => {
    const at = new Date(time.clock.now().getTime() + 90_000 + 60_000).toUTCString();
    server.answer(
      PATH,
      { status: 429, headers: { 'retry-after': '60' } },
      { status: 503, headers: { 'retry-after': at } },
      { body: fixture('hf-day1.json') },
    );
    const result = await poll();
    expect(result.run.ok).toBe(true);
    expect(time.sleeps).toEqual([60_000, 90_000]);
    expect(server.requests(PATH)).toHaveLength(3);
    expect(store.countPapers()).toBe(4);
  });

  it('backs off exponentially with jitter on a 503 without Retry-After', async () => {
    server.answer(PATH, { status: 503 }, { status: 503 }, { status: 502 }, { body: '[]' });
    const randoms = [0, 1, 0.5];
    const result = await poll({ random: () => randoms.shift() ?? 0 });
    expect(result.run.ok).toBe(true);
    // ceilings 2 s, 4 s, 8 s; half fixed, half jitter
    expect(time.sleeps).toEqual([1_000, 4_000, 6_000]);
  });

  it('gives up on a Retry-After longer than it will wait, and says so', async () => {
    server.answer(PATH, { status: 429, headers: { 'retry-after': '3600' } });
    const result = await poll();
    expect(result.run.ok).toBe(false);
    expect(result.run.messages.join(' ')).toMatch(/asked to wait 3600 s \(HTTP 429\)/);
    expect(time.sleeps).toEqual([]);
  });

  it('records a timeout as a failed run and loses nothing already stored', async () => {
    server.answer(PATH, { body: fixture('hf-day1.json') });
    await poll();
    server.reset(PATH, { hang: true });
    const timeoutSignal = () => {
      const controller = new AbortController();
      void server
        .nextRequest()
        .then(() => controller.abort(new DOMException('timeout', 'TimeoutError')));
      return controller.signal;
    };
    const result = await poll({ timeoutSignal });
    expect(result.run.ok).toBe(false);
    expect(result.run.messages.at(-1)).toMatch(/did not answer within 30 s/);
    expect(server.requests(PATH).length).toBe(1 + 4);
    expect(store.countPapers()).toBe(4);
  });

  it('records malformed JSON as a failed run and keeps the old validators', async () => {
    server.answer(
      PATH,
      { body: fixture('hf-day1.json'), headers: { etag: '"good"' } },
      { body: '[{"paper": {"id": "2606.09999", "title": ', headers: { etag: '"broken"' } },
      { status: 304 },
    );
    await poll();
    const broken = await poll();
    expect(broken.run.ok).toBe(false);
    expect(broken.run.messages.join(' ')).toMatch(/JSON|parse|malformed/i);
    expect(store.countPapers()).toBe(4);
    await poll();
    expect(server.requests(PATH)[2]?.headers['if-none-match']).toBe('"good"');
  });
});
