import { describe, expect, it } from 'vitest';
import { detectFormat } from '../../../src/core/sources/detect-format.js';
import { parseArxivAtom } from '../../../src/core/sources/parse-arxiv-atom.js';
import { parseArxivRss } from '../../../src/core/sources/parse-arxiv-rss.js';
import { fixtureText } from './fixture-text.js';

const fetchedAt = '2024-10-18T06:00:00.000Z';

// Each prefixed fixture is its usual twin with the same namespaces bound to other prefixes
// (`xmlns:a="http://arxiv.org/schemas/atom"`, Atom or RSS 1.0 under a prefix instead of default).
describe('feeds read namespaces by URI, not by prefix', () => {
  it.each([
    ['arxiv-atom-listing.xml', 'arxiv-atom', parseArxivAtom],
    ['arxiv-atom.xml', 'arxiv-atom', parseArxivAtom],
    ['arxiv-rss.xml', 'arxiv-rss', parseArxivRss],
    ['arxiv-rdf.xml', 'arxiv-rss', parseArxivRss],
  ] as const)('%s with other prefixes reads the same', (name, format, parse) => {
    const usual = fixtureText(name);
    const prefixed = fixtureText(`namespaces/${name.replace('.xml', '-prefixed.xml')}`);
    expect(prefixed).not.toBe(usual);
    expect(detectFormat(prefixed)).toBe(format);
    const expected = parse(usual, { fetchedAt });
    expect(expected.papers.length).toBeGreaterThan(0);
    expect(parse(prefixed, { fetchedAt })).toEqual(expected);
  });

  it('does not read an element of another namespace that only shares the prefix', () => {
    const text = `<?xml version="1.0"?>
<rss version="2.0" xmlns:arxiv="http://example.org/not-arxiv" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><item>
  <title>A paper</title><link>https://arxiv.org/abs/2410.12345</link>
  <description>Plain abstract.</description>
  <arxiv:announce_type>replace</arxiv:announce_type>
  <dc:creator>Ada Lovelace</dc:creator>
</item></channel></rss>`;
    const [paper] = parseArxivRss(text, { fetchedAt }).papers;
    expect(paper?.announceType).toBeUndefined();
    expect(paper?.authors).toEqual(['Ada Lovelace']);
  });
});
