import { describe, expect, it } from 'vitest';
import { describeHead, detectFormat } from '../../../src/core/sources/detect-format.js';
import { fixtureText } from './fixture-text.js';

const head = (name: string) => fixtureText(name).slice(0, 4096);

describe('detectFormat', () => {
  it.each([
    ['../../samples/daily-papers-page.txt', 'hf-page'],
    ['hf-daily-papers.json', 'hf-json'],
    ['hf-daily-papers-broken.json', 'hf-json'],
    ['arxiv-rss.xml', 'arxiv-rss'],
    ['arxiv-rss-empty.xml', 'arxiv-rss'],
    ['arxiv-atom.xml', 'arxiv-atom'],
    ['arxiv-atom-error.xml', 'arxiv-atom'],
    ['corpus-sample.jsonl', 'jsonl'],
    ['arxiv-snapshot.jsonl', 'arxiv-snapshot'],
    ['arxiv-atom-listing.xml', 'arxiv-atom'],
    ['arxiv-rdf.xml', 'arxiv-rss'],
    ['hf-papers-rss-html.xml', 'arxiv-rss'],
  ])('names %s as %s', (name, format) => {
    expect(detectFormat(head(name))).toBe(format);
  });

  it('sees through a byte-order mark, leading blank lines and XML comments', () => {
    expect(detectFormat(`\uFEFF\n\n${head('arxiv-rss.xml')}`)).toBe('arxiv-rss');
    expect(
      detectFormat('<!-- saved by curl --><feed xmlns="http://www.w3.org/2005/Atom"></feed>'),
    ).toBe('arxiv-atom');
  });

  it('recognises a copied page list without its header', () => {
    expect(detectFormat('Some Title\n\nAn abstract.\n\n  • 3 authors\n·\nMar 27\n')).toBe(
      'hf-page',
    );
  });

  it("tells JSON Lines by the first line's own keys: Paperboy's id with a title or abstract", () => {
    expect(detectFormat('{"id":"2501.00001","title":"T","date":"2026-01-02"}\n')).toBe('jsonl');
    // A first line without a title is that line's warning, never the whole file refused.
    expect(detectFormat('{"id":"2501.00001","abstract":"A"}\n')).toBe('jsonl');
    expect(detectFormat('{"id":"2501.00001","date":"2026-01-02"}\n')).toBeNull();
    // A Hugging Face paper object (/api/papers/{id}) has id and title too, and nests `id`.
    expect(detectFormat('{"id":"2410.14735","title":"T","summary":"S","upvotes":3}')).toBe(
      'hf-json',
    );
    expect(detectFormat('{"paper":{"id":"2410.14735","title":"T"},"numComments":1}')).toBe(
      'hf-json',
    );
    expect(detectFormat('{"meta":{"id":"x","title":"T"}}\n')).toBeNull();
  });

  it('returns null for anything else', () => {
    for (const text of [
      '',
      'hello world',
      '<html><body>nope</body></html>',
      '{"name":"paperboy"}',
      '\x1f\x8b\b\0',
    ]) {
      expect(detectFormat(text)).toBeNull();
    }
  });
});

describe('describeHead names what an unreadable file holds', () => {
  it.each([
    ['', 'an empty file'],
    ['<html><body>nope</body></html>', 'XML whose root element is <html>'],
    ['{"name":"paperboy","version":"1"}\n', 'JSON whose first line has the keys name, version'],
    ['hello world\nmore', 'text starting "hello world"'],
    // Bytes of a binary file are shown escaped: a terminal would act on them.
    ['\x7fELF\x02\x01\x01\ufffd\u202e', 'text starting "\\x7fELF\\x02\\x01\\x01\\ufffd\\u202e"'],
    ['{"a\\u001b[31m":1}', 'JSON whose first line has the keys a\\x1b[31m'],
  ])('%j', (text, seen) => {
    expect(detectFormat(text)).toBeNull();
    expect(describeHead(text)).toBe(seen);
  });
});

describe('a ZIP archive is named as one', () => {
  it.each([['PK\x03\x04\x14\0'], ['PK\x05\x06\0\0'], ['PK\x07\x08PK\x03\x04']])('%j', (text) => {
    expect(detectFormat(text)).toBeNull();
    expect(describeHead(text)).toMatch(
      /^a ZIP archive \(unpack it first.*arxiv-metadata-oai-snapshot\.json\)$/,
    );
  });
});

describe('other archives and compressions are named, with what to do', () => {
  const tarHeader = `s.json${'\0'.repeat(94)}0000644\0${'\0'.repeat(149)}ustar\x0000`;
  it.each([
    ['BZh91AY&SY\x05\x05{\ufffd', /^bzip2-compressed data \(decompress it first with bunzip2;/],
    ['\ufffd7zXZ\0\0\x04\ufffd', /^xz-compressed data \(decompress it first with unxz;/],
    ['(\ufffd/\ufffd\x04\0', /^zstd-compressed data \(decompress it first with unzstd;/],
    ["7z\ufffd\ufffd'\x1c\0\x04", /^a 7-Zip archive \(unpack it first/],
    [tarHeader, /^a tar archive \(unpack it first.*tar -xf unpacks it\)$/],
  ])('%j', (text, named) => {
    expect(detectFormat(text)).toBeNull();
    expect(describeHead(text)).toMatch(named);
  });
});

describe('review 12 F3: a JSON array of snapshot rows is not Hugging Face JSON', () => {
  const rows = JSON.stringify([
    {
      id: '0704.0001',
      submitter: 'P. N',
      authors: 'C. B',
      title: 'T',
      versions: [{ version: 'v1', created: 'Mon, 2 Apr 2007 19:18:42 GMT' }],
      update_date: '2008-11-13',
    },
  ]);
  it('is refused, and the message says what it is and how to read it', () => {
    expect(detectFormat(rows)).toBeNull();
    expect(describeHead(rows)).toContain('JSON array of arXiv metadata snapshot rows');
    expect(
      detectFormat('[{"paper":{"id":"2410.14735","title":"T"},"publishedAt":"2024-10-17"}]'),
    ).toBe('hf-json');
  });
});
