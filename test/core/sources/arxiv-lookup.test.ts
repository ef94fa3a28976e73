import { Writable } from 'node:stream';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { paperDay } from '../../../src/commands/paper-view.js';
import { digestWindow } from '../../../src/core/digest/candidates.js';
import { createLogger } from '../../../src/core/logger.js';
import {
  ARXIV_LOOKUP_SOURCE,
  MAX_PENDING_LOOKUPS,
  PaperLookup,
  UNKNOWN_ID_TTL_MS,
} from '../../../src/core/sources/arxiv-lookup.js';
import { type HttpDeps, RequestGate } from '../../../src/core/sources/http.js';
import { asyncStore } from '../../../src/core/store/async-store.js';
import { SqliteStore } from '../../../src/core/store/sqlite-store.js';
import { record } from '../../commands/bot-fixture.js';
import { FeedServer } from '../../live/feed-server.js';
import { fixture, testHttp, testTime } from '../../live/harness.js';

const API = '/api/query';
const ID = '1706.03762';

function recordingLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: createLogger({ level: 'debug', destination }), lines };
}

describe('arXiv lookup of a linked paper', () => {
  let server: FeedServer;
  let store: SqliteStore;
  let time: ReturnType<typeof testTime>;
  let log: ReturnType<typeof recordingLogger>;
  let gate: RequestGate;

  beforeEach(async () => {
    time = testTime('2025-12-12T10:00:00Z');
    server = await new FeedServer(() => time.clock.now().getTime()).start();
    store = SqliteStore.open(':memory:');
    log = recordingLogger();
    gate = new RequestGate(3_000, time.clock, time.sleep);
  });
  afterEach(async () => {
    store.close();
    await server.close();
  });

  function lookup(http: Partial<HttpDeps> = {}) {
    return new PaperLookup({
      http: testHttp(time, http),
      gate,
      store: asyncStore(store),
      logger: log.logger,
      apiBaseUrl: `${server.baseUrl}${API}`,
    });
  }

  it('fetches an unknown paper by id_list once, stores it, and asks no more after', async () => {
    server.answer(API, { body: fixture('arxiv-api-id-list.xml') });
    const papers = lookup();
    const found = await papers.find(ID);
    expect(found.kind).toBe('found');
    expect(server.requests(API)).toHaveLength(1);
    const url = new URL(server.requests(API)[0]!.path, server.baseUrl);
    expect(url.searchParams.get('id_list')).toBe(ID);
    expect(server.requests(API)[0]!.headers['user-agent']).toContain('Paperboy/');
    const stored = store.getPaper(ID);
    expect(stored).toMatchObject({
      title: 'Attention Is All You Need',
      authors: ['Ashish Vaswani', 'Noam Shazeer', 'Niki Parmar'],
      publishedAt: '2017-06-12',
      sources: [ARXIV_LOOKUP_SOURCE],
    });
    expect(await papers.find(ID)).toMatchObject({ kind: 'found', paper: { id: ID } });
    expect(server.requests(API)).toHaveLength(1);
  });

  it('a looked-up paper with no date of its own is not dated by the day of the lookup', async () => {
    const undated = fixture('arxiv-api-id-list.xml')
      .replace(/<updated>2023[^<]*<\/updated>/, '')
      .replace(/<published>[^<]*<\/published>/, '');
    server.answer(API, { body: undated });
    const found = await lookup().find(ID);
    if (found.kind !== 'found') throw new Error(`expected the paper, got ${found.kind}`);
    expect(found.paper.publishedAt).toBeNull();
    expect(paperDay(found.paper)).toBeNull();
  });

  it('the store failing while it stores the paper is a store fault, not arXiv failing', async () => {
    server.answer(API, { body: fixture('arxiv-api-id-list.xml') });
    const failing = asyncStore(store);
    failing.upsertPapers = async () => {
      throw new BetterSqlite3.SqliteError('database or disk is full', 'SQLITE_FULL');
    };
    const papers = new PaperLookup({
      http: testHttp(time),
      gate,
      store: failing,
      logger: log.logger,
      apiBaseUrl: `${server.baseUrl}${API}`,
    });
    await expect(papers.find(ID)).rejects.toMatchObject({ code: 'STORE_FAILED' });
  });

  it('two links to the same paper at once make one request', async () => {
    server.answer(API, { body: fixture('arxiv-api-id-list.xml') });
    const papers = lookup();
    const [a, b] = await Promise.all([papers.find(ID), papers.find(ID)]);
    expect([a.kind, b.kind]).toEqual(['found', 'found']);
    expect(server.requests(API)).toHaveLength(1);
  });

  it('remembers an id arXiv does not know for a day, then asks again', async () => {
    server.answer(API, { body: fixture('arxiv-api-id-list-empty.xml') });
    const papers = lookup();
    expect(await papers.find('2501.99999')).toEqual({ kind: 'unknown' });
    expect(await papers.find('2501.99999')).toEqual({ kind: 'unknown' });
    expect(server.requests(API)).toHaveLength(1);
    expect(store.getPaper('2501.99999')).toBeNull();
    time.clock.advance(UNKNOWN_ID_TTL_MS + 1);
    expect(await papers.find('2501.99999')).toEqual({ kind: 'unknown' });
    expect(server.requests(API)).toHaveLength(2);
  });

  it('a 500 gives no paper and a log line, stores nothing and is not remembered as unknown', async () => {
    server.answer(API, { status: 500, body: 'oops' }, { body: fixture('arxiv-api-id-list.xml') });
    const papers = lookup();
    expect(await papers.find(ID)).toEqual({ kind: 'failed' });
    expect(store.getPaper(ID)).toBeNull();
    const warning = log.lines.find((l) => l.msg === 'arXiv lookup of a linked paper failed');
    expect(warning?.arxivId).toBe(ID);
    expect(JSON.stringify(warning?.err)).toContain('HTTP 500');
    // One attempt only: someone is waiting for the card.
    expect(server.requests(API)).toHaveLength(1);
    expect((await papers.find(ID)).kind).toBe('found');
  });

  it('a timeout gives no paper and a log line', async () => {
    const timeout = new AbortController();
    server.answer(API, { hang: true });
    const papers = lookup({ timeoutSignal: () => timeout.signal });
    const pending = papers.find(ID);
    await server.nextHang();
    timeout.abort();
    expect(await pending).toEqual({ kind: 'failed' });
    const warning = log.lines.find((l) => l.msg === 'arXiv lookup of a linked paper failed');
    expect(JSON.stringify(warning?.err)).toContain('did not answer');
  });

  it('an unreadable answer gives no paper and a log line', async () => {
    server.answer(API, { body: '<html>not a feed</html>' });
    expect(await lookup().find(ID)).toEqual({ kind: 'failed' });
    expect(log.lines.some((l) => l.msg === 'arXiv lookup of a linked paper failed')).toBe(true);
  });

  it('refuses lookups beyond the pending cap instead of queueing them all behind the gate', async () => {
    let release = () => {};
    server.answer(API, {
      body: fixture('arxiv-api-id-list-empty.xml'),
      release: new Promise<void>((resolve) => {
        release = resolve;
      }),
    });
    const papers = lookup();
    const ids = Array.from({ length: MAX_PENDING_LOOKUPS }, (_, i) => `2501.0000${i}`);
    const waiting = ids.map((id) => papers.find(id));
    expect(await papers.find('2501.00009')).toEqual({ kind: 'failed' });
    expect(log.lines.some((l) => l.msg === 'arXiv lookup skipped: too many lookups waiting')).toBe(
      true,
    );
    release();
    expect((await Promise.all(waiting)).map((o) => o.kind)).toEqual(ids.map(() => 'unknown'));
  });

  it('shares the gate: lookups run one at a time and at least 3 s apart on the clock', async () => {
    server.answer(API, { body: fixture('arxiv-api-id-list-empty.xml') });
    const papers = lookup();
    await Promise.all(['2501.00001', '2501.00002', '2501.00003'].map((id) => papers.find(id)));
    const seen = server.requests(API);
    expect(seen).toHaveLength(3);
    expect(seen.every((r) => r.inFlight === 1)).toBe(true);
    for (let i = 1; i < seen.length; i++)
      expect(seen[i]!.at - seen[i - 1]!.at).toBeGreaterThanOrEqual(3_000);
  });

  it('a looked-up paper never reaches a digest, old or recent, until a feed lists it', async () => {
    const recent = fixture('arxiv-api-id-list.xml')
      .replaceAll('1706.03762', '2512.01234')
      .replace('2017-06-12T17:57:34Z', '2025-12-11T17:00:00Z');
    server.answer(API, { body: fixture('arxiv-api-id-list.xml') }, { body: recent });
    const papers = lookup();
    const from = time.clock.now();
    expect((await papers.find(ID)).kind).toBe('found');
    expect((await papers.find('2512.01234')).kind).toBe('found');
    time.clock.advance(60_000);
    const window = digestWindow(new Date(from.getTime() - 1), time.clock.now(), 7);
    expect(store.digestCandidates(window).map((c) => c.id)).toEqual([]);
    // The next day's feed lists the recent one: now a feed says it is news.
    store.upsertPapers(
      [{ ...record('2512.01234', 'Attention Is All You Need'), source: 'huggingface' }],
      time.clock.now(),
    );
    expect(store.digestCandidates(window).map((c) => c.id)).toEqual(['2512.01234']);
  });
});
