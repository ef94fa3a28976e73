import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sourcesHealth } from '../../../src/core/health.js';
import { createLogger } from '../../../src/core/logger.js';
import { backfillIntoStore } from '../../../src/core/sources/fetch-arxiv-api.js';
import { huggingFaceFetcher } from '../../../src/core/sources/fetch-huggingface.js';
import { pollSource } from '../../../src/core/sources/fetch-source.js';
import { RequestGate } from '../../../src/core/sources/http.js';
import { asyncStore } from '../../../src/core/store/async-store.js';
import { SqliteStore } from '../../../src/core/store/sqlite-store.js';
import { FeedServer } from '../../live/feed-server.js';
import { fixture, testConfig, testHttp, testTime } from '../../live/harness.js';

const PATH = '/api/daily_papers';

/** Stopping Paperboy mid-poll is not a source failure: no failed run, no health warning. */
describe('a poll interrupted because Paperboy is stopping', () => {
  let server: FeedServer;
  let store: SqliteStore;
  let time: ReturnType<typeof testTime>;
  let lines: Array<{ level: number; msg?: string }>;

  beforeEach(async () => {
    time = testTime('2026-06-10T06:00:00Z');
    server = await new FeedServer(() => time.clock.now().getTime()).start();
    store = SqliteStore.open(':memory:');
    lines = [];
  });
  afterEach(async () => {
    store.close();
    await server.close();
  });

  function logger() {
    const destination = {
      write(line: string) {
        lines.push(JSON.parse(line));
        return true;
      },
    } as unknown as NodeJS.WritableStream;
    return createLogger({ level: 'debug', destination });
  }

  function poll(signal: AbortSignal, sleep = time.sleep) {
    return pollSource('huggingface', huggingFaceFetcher(testConfig(server.baseUrl)), {
      http: testHttp(time, { sleep }),
      store: asyncStore(store),
      clock: time.clock,
      logger: logger(),
      signal,
    });
  }

  async function expectNothingRecorded() {
    expect(store.recentSourceRuns('huggingface', 10)).toEqual([]);
    const health = await sourcesHealth(
      asyncStore(store),
      testConfig(server.baseUrl),
      time.clock.now(),
    );
    expect(health.find((h) => h.name === 'huggingface')?.warning).toBeNull();
    expect(lines.filter((l) => l.level >= 40)).toEqual([]);
  }

  it('records no failed run when the stop signal fires while the server has not answered', async () => {
    server.answer(PATH, { hang: true });
    const stop = new AbortController();
    const hung = server.nextHang();
    const polling = poll(stop.signal);
    await hung;
    stop.abort();
    const result = await polling;

    expect(result.abandoned).toBe(true);
    expect(result.added).toEqual([]);
    await expectNothingRecorded();
    expect(lines.some((l) => l.msg === 'source poll abandoned: Paperboy is stopping')).toBe(true);
  });

  it('records no failed run when the stop signal fires during a retry wait', async () => {
    server.answer(PATH, { status: 503, headers: { 'retry-after': '5' } });
    const stop = new AbortController();
    // SIGTERM arrives while the fetcher waits out Retry-After.
    const result = await poll(stop.signal, async (ms) => {
      stop.abort();
      time.clock.advance(ms);
    });

    expect(result.abandoned).toBe(true);
    expect(server.requests(PATH)).toHaveLength(1);
    await expectNothingRecorded();
  });

  it('keeps the stored pages of an arXiv backfill stopped mid-way and records no failed run', async () => {
    server.answer('/api/query', { body: fixture('arxiv-api-page1.xml') }, { hang: true });
    const stop = new AbortController();
    const hung = server.nextHang();
    const backfill = backfillIntoStore(testHttp(time), store, {
      apiBaseUrl: `${server.baseUrl}/api/query`,
      query: 'cat:cs.RO',
      since: '2024-06-01',
      pageSize: 3,
      gate: new RequestGate(3_000, time.clock, time.sleep),
      signal: stop.signal,
    });
    await hung;
    stop.abort();
    await expect(backfill).rejects.toThrow(/stopping/);

    expect(store.countPapers()).toBe(3);
    expect(store.recentSourceRuns('arxiv-api', 10)).toEqual([]);
  });

  it('still records a real failure as a failed run with a warning', async () => {
    server.answer(PATH, { status: 404, body: 'gone' });
    const result = await poll(new AbortController().signal);

    expect(result.abandoned).toBeUndefined();
    expect(result.run.ok).toBe(false);
    expect(store.recentSourceRuns('huggingface', 10)).toHaveLength(1);
    const health = await sourcesHealth(
      asyncStore(store),
      testConfig(server.baseUrl),
      time.clock.now(),
    );
    expect(health.find((h) => h.name === 'huggingface')?.warning).toMatch(/last run failed/);
  });
});
