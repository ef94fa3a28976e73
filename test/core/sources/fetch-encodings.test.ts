import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/core/logger.js';
import { arxivRssFetcher } from '../../../src/core/sources/fetch-arxiv-rss.js';
import { huggingFaceFetcher } from '../../../src/core/sources/fetch-huggingface.js';
import { pollSource, type SourceFetcher } from '../../../src/core/sources/fetch-source.js';
import { DEFAULT_POLICY, RequestGate } from '../../../src/core/sources/http.js';
import { asyncStore } from '../../../src/core/store/async-store.js';
import { SqliteStore } from '../../../src/core/store/sqlite-store.js';
import { FeedServer } from '../../live/feed-server.js';
import { fixture, ROOT, testConfig, testHttp, testTime } from '../../live/harness.js';

// Live fetchers decode what the server sends as it declares it, with the file path's decoder:
// a byte order mark, else the Content-Type charset, else the XML declaration, else UTF-8.
const RSS = '/rss/cs.RO+cs.CL';
const HF = '/api/daily_papers';
const DECLARATION = /^<\?xml[^>]*\?>\s*/;

/** A recorded feed's bytes (test/fixtures/encodings), as the server would send them. */
function encoded(name: string): Buffer {
  return readFileSync(path.join(ROOT, 'test', 'fixtures', 'encodings', name));
}

/** The same bytes without their XML declaration: only the header can name the charset. */
function undeclared(bytes: Buffer): Buffer {
  const head = bytes.subarray(0, 200).toString('latin1');
  const declaration = DECLARATION.exec(head);
  return declaration ? bytes.subarray(declaration[0].length) : bytes;
}

const RENYI = {
  title: 'Rényi Entropy of Müller Chains',
  authors: ['Zoë Martin', 'José García', 'François Lévêque'],
};
const WINDOWS_ABSTRACT = 'We bound the “Rényi” entropy — tightly — at 5 € per sample.';
const LATIN1_ABSTRACT = 'We bound the Rényi entropy of Müller chains, ½ tightly.';

describe('live fetchers decode by the declared charset', () => {
  let server: FeedServer;
  let store: SqliteStore;
  let time: ReturnType<typeof testTime>;

  beforeEach(async () => {
    time = testTime('2026-09-24T06:00:00Z');
    server = await new FeedServer(() => time.clock.now().getTime()).start();
    store = SqliteStore.open(':memory:');
  });
  afterEach(async () => {
    store.close();
    await server.close();
  });

  function poll(source: 'arxiv-rss' | 'huggingface', fetcher: SourceFetcher) {
    return pollSource(source, fetcher, {
      http: testHttp(time),
      store: asyncStore(store),
      clock: time.clock,
      logger: silentLogger(),
    });
  }
  const policy = { ...DEFAULT_POLICY, maxAttempts: 3 };
  const pollRss = () =>
    poll(
      'arxiv-rss',
      arxivRssFetcher(
        testConfig(server.baseUrl),
        new RequestGate(3_000, time.clock, time.sleep),
        policy,
      ),
    );

  it.each([
    [
      'windows-1252 named only by the Content-Type charset',
      undeclared(encoded('arxiv-rss-windows-1252.xml')),
      'application/rss+xml; charset=windows-1252',
      WINDOWS_ABSTRACT,
    ],
    [
      'ISO-8859-1 named only by the Content-Type charset (quoted, any case)',
      undeclared(encoded('arxiv-rss-iso-8859-1.xml')),
      'text/xml; Charset="ISO-8859-1"',
      LATIN1_ABSTRACT,
    ],
    [
      'ISO-8859-1 named only by the XML declaration',
      encoded('arxiv-rss-iso-8859-1.xml'),
      'application/rss+xml',
      LATIN1_ABSTRACT,
    ],
    [
      'windows-1252 by the XML declaration, no Content-Type at all',
      encoded('arxiv-rss-windows-1252.xml'),
      undefined,
      WINDOWS_ABSTRACT,
    ],
    [
      'UTF-16LE with a byte order mark',
      encoded('arxiv-rss-utf16le-bom.xml'),
      'application/rss+xml',
      WINDOWS_ABSTRACT,
    ],
    [
      'UTF-8 with a byte order mark and charset=utf-8',
      encoded('arxiv-rss-utf8-bom.xml'),
      'application/rss+xml; charset=utf-8',
      WINDOWS_ABSTRACT,
    ],
  ])('arXiv RSS: %s', async (_name, body, contentType, abstract) => {
    server.answer(RSS, {
      body,
      headers: contentType ? { 'content-type': contentType } : {},
    });
    const result = await pollRss();
    expect(result.run).toMatchObject({ ok: true, added: 1 });
    expect(store.getPaper('2609.28553')).toMatchObject({ ...RENYI, abstract });
  });

  it('the Content-Type charset wins over a contradicting XML declaration', async () => {
    // Latin-1 bytes that claim to be UTF-8: read as UTF-8 they would not decode at all.
    const bytes = Buffer.concat([
      Buffer.from('<?xml version="1.0" encoding="UTF-8"?>\n'),
      undeclared(encoded('arxiv-rss-iso-8859-1.xml')),
    ]);
    server.answer(RSS, {
      body: bytes,
      headers: { 'content-type': 'application/rss+xml; charset=ISO-8859-1' },
    });
    const result = await pollRss();
    expect(result.run).toMatchObject({ ok: true, added: 1 });
    expect(store.getPaper('2609.28553')).toMatchObject({ ...RENYI, abstract: LATIN1_ABSTRACT });
  });

  it('bytes that are not what the server declares fail the poll once, naming the line, storing nothing', async () => {
    server.answer(RSS, {
      body: undeclared(encoded('arxiv-rss-iso-8859-1.xml')),
      headers: { 'content-type': 'application/rss+xml; charset=utf-8' },
    });
    const result = await pollRss();
    expect(result.run.ok).toBe(false);
    expect(result.run.messages.join('\n')).toMatch(
      /arXiv RSS sent text Paperboy cannot read: line \d+ is not valid utf-8 \(from its Content-Type charset\): byte 0x[0-9A-F]{2} at byte \d+ of the line/,
    );
    // The same bytes would come back: not retried.
    expect(server.requests(RSS)).toHaveLength(1);
    expect(store.countPapers()).toBe(0);
  });

  it('a charset Paperboy cannot decode is named', async () => {
    server.answer(RSS, {
      body: encoded('arxiv-rss-windows-1252.xml'),
      headers: { 'content-type': 'application/rss+xml; charset=x-klingon' },
    });
    const result = await pollRss();
    expect(result.run.ok).toBe(false);
    expect(result.run.messages.join('\n')).toMatch(
      /The server declares charset=x-klingon, which Paperboy cannot decode/,
    );
    expect(store.countPapers()).toBe(0);
  });

  it('Hugging Face JSON sent as ISO-8859-1 (declared by the header) keeps its accents', async () => {
    const json = fixture('hf-day1.json');
    server.answer(HF, {
      body: Buffer.from(json, 'latin1'),
      headers: { 'content-type': 'application/json; charset=ISO-8859-1' },
    });
    const result = await poll(
      'huggingface',
      huggingFaceFetcher(testConfig(server.baseUrl), policy),
    );
    expect(result.run.ok).toBe(true);
    expect(store.getPaper('2606.01001')?.authors[0]).toBe('Zoë Martín');
  });
});
