import type { Database } from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../../src/core/clock.js';
import { silentLogger } from '../../../src/core/logger.js';
import type { Paper, PaperRecord } from '../../../src/core/paper.js';
import { archiveVocabulary } from '../../../src/core/search/archive.js';
import { matchPaper } from '../../../src/core/search/paper-match.js';
import { type ArchivePaperSearch, openPaperSearch } from '../../../src/core/search/paper-search.js';
import { compileTopic } from '../../../src/core/search/topics.js';
import type { TopicMatch } from '../../../src/core/search/types.js';
import { SqliteStore } from '../../../src/core/store/sqlite-store.js';
import { corpusSlice, seeded } from './corpus-slice.js';
import { NOW } from './search-fixtures.js';

const TOPICS = [
  'robot learning',
  'reinforcement learning',
  'diffusion models',
  'graph neural networks',
  'the transformer',
  'robtics',
  '"language model" -vision',
  'federated learning privacy',
  'knowledge distillation',
  'quantum',
];

/**
 * The reference: every candidate read and matched in memory, word by word; a word found in
 * the title scores 3, elsewhere 1, a phrase 3.
 */
function inMemory(db: Database, papers: Paper[], topic: string): TopicMatch[] {
  const q = compileTopic(topic, archiveVocabulary(db));
  const score = (p: Paper) => {
    const inTitle = new Set(matchPaper({ ...p, authors: [], abstract: '' }, q).matchedTerms);
    return q.groups.reduce((s, g) => s + (inTitle.has(g.word) ? 3 : 1), 3 * q.phrases.length);
  };
  return papers
    .map((p) => ({ p, m: matchPaper(p, q) }))
    .filter(({ m }) => m.all)
    .map(({ p, m }) => ({ paperId: p.id, score: score(p), matchedTerms: m.matchedTerms }))
    .sort((a, b) => b.score - a.score || a.paperId.localeCompare(b.paperId));
}

describe('matchTopic on the archive, restricted to the candidates', () => {
  let store: SqliteStore;
  let search: ArchivePaperSearch;
  let all: Paper[];
  const clock = manualClock(NOW);

  beforeAll(async () => {
    const papers = await corpusSlice();
    store = SqliteStore.open(':memory:');
    store.upsertPapers(papers, clock.now());
    search = await openPaperSearch({
      store,
      dataDir: null,
      clock,
      logger: silentLogger(),
    });
    await search.refresh();
    all = [...store.iteratePapers()].flat();
  }, 60_000);

  afterAll(async () => {
    await search.close();
    store.close();
  });

  it('finds exactly what matching each candidate in memory finds, with the same scores and terms', () => {
    const random = seeded(11);
    const candidates = all.filter(() => random() < 0.5);
    const ids = candidates.map((p) => p.id);
    let found = 0;
    for (const topic of TOPICS) {
      const got = search.matchTopic(topic, ids);
      expect(got, topic).toEqual(inMemory(store.db, candidates, topic));
      found += got.length;
      // A fresh array with the same ids, as each digest run builds it, answers the same.
      expect(search.matchTopic(topic, [...ids])).toEqual(got);
    }
    expect(found).toBeGreaterThan(100);
  });

  it('answers only about the given papers, whichever list comes next', () => {
    const robots = search.matchTopic(
      'robot',
      all.map((p) => p.id),
    );
    expect(robots.length).toBeGreaterThan(4);
    const [first, second] = robots;
    const only = search.matchTopic('robot', [second?.paperId ?? '', 'no-such-id']);
    expect(only.map((m) => m.paperId)).toEqual([second?.paperId]);
    expect(search.matchTopic('robot', [first?.paperId ?? ''])).toHaveLength(1);
    expect(search.matchTopic('robot', [])).toEqual([]);
  });

  it('sees a paper written after the last call, and an id that changed', () => {
    const record: PaperRecord = {
      source: 'huggingface',
      arxivId: null,
      version: null,
      title: 'Zyxquartz swarms for warehouse picking',
      abstract: 'We study zyxquartz swarms.',
      authors: ['Ana Núñez'],
      authorCount: null,
      publishedAt: null,
      upvotes: null,
      comments: null,
      comment: null,
      observedAt: NOW,
      links: {},
      keywords: [],
      categories: [],
    };
    const before = search.matchTopic(
      'zyxquartz',
      all.map((p) => p.id),
    );
    expect(before).toEqual([]);
    store.upsertPapers([record], clock.now());
    const hashId = store.papersSeenSince(new Date(0)).find((p) => p.title === record.title)?.id;
    expect(hashId).toMatch(/^t:/);
    const ids = [...all.map((p) => p.id), hashId ?? ''];
    expect(search.matchTopic('zyxquartz', ids)).toEqual([
      { paperId: hashId, score: 3, matchedTerms: ['zyxquartz'] },
    ]);
    // The arXiv id arrives later: the stored row keeps its rowid and takes the new id.
    store.upsertPapers([{ ...record, arxivId: '2512.99999', version: 1 }], clock.now());
    const renamed = [...all.map((p) => p.id), '2512.99999'];
    expect(search.matchTopic('zyxquartz', renamed).map((m) => m.paperId)).toEqual(['2512.99999']);
  });
});
