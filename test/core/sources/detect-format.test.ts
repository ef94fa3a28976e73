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
  ])('%j', (text, seen) => {
    expect(detectFormat(text)).toBeNull();
    expect(describeHead(text)).toBe(seen);
  });
});
