import lunr from 'lunr';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  expandQuery,
  parseQuery,
  type TermVocabulary,
} from '../../../src/core/search/query-compiler.js';
import { stem, tokenise } from '../../../src/core/search/text.js';
import { WINDOW_BROAD_MATCH } from '../../../src/core/search/window-broad.js';
import {
  buildWindowIndex,
  queryWindow,
  type WindowDoc,
} from '../../../src/core/search/window-index.js';
import { corpusSlice } from './corpus-slice.js';

const anyWord: TermVocabulary = { has: () => true, docFreq: () => new Map(), withPrefix: () => [] };

function holds(
  d: WindowDoc,
  word: string,
  fields = [d.title, d.authors.join(' '), d.abstract],
): boolean {
  return fields.some((f) => tokenise(f).map(stem).includes(stem(word)));
}

describe('broad matches in the window', () => {
  let docs: WindowDoc[];
  let idx: lunr.Index;
  beforeAll(async () => {
    docs = (await corpusSlice()).slice(0, 1500).map((p, i) => ({
      rowid: i + 1,
      id: p.arxivId ?? `t${i}`,
      title: p.title,
      authors: p.authors,
      abstract: p.abstract,
      day: p.publishedAt ?? '2025-01-01',
    }));
    idx = buildWindowIndex(docs);
  }, 60_000);

  it('returns every matching doc, title matches first, newest first, minus exclusions', () => {
    const byId = new Map(docs.map((d) => [d.id, d]));
    const q = expandQuery(parseQuery('model -survey '), anyWord);
    const hits = queryWindow(idx, byId, q, 'all', () => true);
    const expected = docs.filter((d) => holds(d, 'model') && !holds(d, 'survey'));
    expect(expected.length).toBeGreaterThan(WINDOW_BROAD_MATCH);
    expect(new Set(hits.map((h) => h.rowid))).toEqual(new Set(expected.map((d) => d.rowid)));
    const byRowid = new Map(docs.map((d) => [d.rowid, d]));
    const tiers = hits.map((h) =>
      holds(byRowid.get(h.rowid) as WindowDoc, 'model', [byRowid.get(h.rowid)?.title ?? ''])
        ? 1
        : 0,
    );
    expect(tiers).toEqual([...tiers].sort((a, b) => b - a));
    const titled = hits
      .slice(0, tiers.filter((t) => t === 1).length)
      .map((h) => byRowid.get(h.rowid)?.day ?? '');
    expect(titled).toEqual([...titled].sort().reverse());
  });

  it('a narrow query still goes through Lunr scoring', () => {
    const byId = new Map(docs.map((d) => [d.id, d]));
    const hits = queryWindow(
      idx,
      byId,
      expandQuery(parseQuery('galaxy '), anyWord),
      'all',
      () => true,
    );
    expect(hits.length).toBeLessThan(WINDOW_BROAD_MATCH);
    expect(hits.length).toBe(docs.filter((d) => holds(d, 'galaxy')).length);
  });

  it("scores a narrow match as Lunr's own idx.query() does, and finds the same docs", () => {
    const byId = new Map(docs.map((d) => [d.id, d]));
    const byRowid = new Map(docs.map((d) => [d.rowid, d]));
    for (const text of [
      'robot learning ',
      'galaxy ',
      'graph neural network ',
      'robot -humanoid ',
    ]) {
      const q = expandQuery(parseQuery(text), anyWord);
      const hits = queryWindow(idx, byId, q, 'all', () => true);
      const words = q.groups.map((g) => g.word);
      const expected = docs.filter(
        (d) => words.every((w) => holds(d, w)) && !q.excluded.some((w) => holds(d, w)),
      );
      expect(hits.length, text).toBeLessThanOrEqual(WINDOW_BROAD_MATCH);
      expect(new Set(hits.map((h) => byRowid.get(h.rowid)?.id)), text).toEqual(
        new Set(expected.map((d) => d.id)),
      );
      const lunrScores = new Map(
        idx
          .query((query) => {
            for (const s of q.groups.flatMap((g) => g.stems))
              query.term(s, { usePipeline: false, wildcard: lunr.Query.wildcard.NONE });
          })
          .map((r) => [r.ref, r.score]),
      );
      for (const h of hits) {
        const id = byRowid.get(h.rowid)?.id ?? '';
        expect(h.score, `${text} ${id}`).toBeCloseTo(lunrScores.get(id) ?? Number.NaN, 9);
      }
    }
  });
});
