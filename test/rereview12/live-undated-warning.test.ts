import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { paperDate } from '../../src/core/paper.js';
import { parseArxivRss } from '../../src/core/sources/parse-arxiv-rss.js';
import { SqliteStore } from '../../src/core/store/sqlite-store.js';

// Review12b #2's fix made RSS 1.0 / RDF (and Atom listing) items that nothing dates say "its
// date is unknown", and file ingest store them without a date. The live RSS fetcher uses the
// same parser and stores its records as they are (fetch-arxiv-rss.ts): there the poll's time
// dates them (feed date = the day of the poll), so on every poll of a feed without dates the
// operator reads "its date is unknown" for papers shown dated that day.

const POLLED_AT = '2026-10-01T06:00:00.000Z';

describe('rereview12: an RSS 1.0 feed without dates, polled live', () => {
  it('does not say "its date is unknown" of papers the poll dates', () => {
    const rdf = readFileSync(new URL('../fixtures/arxiv-rdf.xml', import.meta.url), 'utf8').replace(
      /<dc:date>[^<]*<\/dc:date>\n/,
      '',
    );
    expect(rdf).not.toContain('<dc:date>');
    // What fetch-arxiv-rss.ts does with a fetched feed: parse at the poll's time, store.
    const parsed = parseArxivRss(rdf, { fetchedAt: POLLED_AT });
    const store = SqliteStore.open(':memory:');
    try {
      const { added } = store.upsertPapers(parsed.papers, new Date(POLLED_AT));
      expect(added.length).toBeGreaterThan(0);
      const shown = store.getPaper(added[0] as string);
      // The paper is dated by the poll…
      expect(shown && paperDate(shown)).toBe('2026-10-01');
      // …so no warning may say its date is unknown.
      expect(parsed.warnings.filter((w) => w.includes('its date is unknown'))).toEqual([]);
    } finally {
      store.close();
    }
  });
});
