import Database from 'better-sqlite3';
import { Document } from 'flexsearch';
import MiniSearch from 'minisearch';
import type { CorpusEntry } from './corpus.js';

/** A peer engine as the bench drives it: build once, then answer each query. */
export interface Peer {
  name: string;
  buildMs: number;
  query(text: string): number;
  close(): void;
}

function time<T>(fn: () => T): { value: T; ms: number } {
  const start = performance.now();
  const value = fn();
  return { value, ms: performance.now() - start };
}

export function miniSearchPeer(docs: CorpusEntry[]): Peer {
  const { value: index, ms } = time(() => {
    const mini = new MiniSearch({
      fields: ['title', 'authors', 'abstract'],
      idField: 'id',
      extractField: (doc, field) =>
        field === 'authors'
          ? (doc as CorpusEntry).authors.join(' ')
          : ((doc as unknown as Record<string, string>)[field] ?? ''),
      searchOptions: {
        boost: { title: 10, authors: 4 },
        prefix: true,
        fuzzy: 0.2,
        combineWith: 'AND',
      },
    });
    mini.addAll(docs);
    return mini;
  });
  return {
    name: 'MiniSearch',
    buildMs: ms,
    query: (text) => {
      const hits = index.search(text);
      return hits.length > 0 ? hits.length : index.search(text, { combineWith: 'OR' }).length;
    },
    close: () => undefined,
  };
}

export function flexSearchPeer(docs: CorpusEntry[]): Peer {
  const { value: index, ms } = time(() => {
    const flex = new Document({
      tokenize: 'forward',
      document: { id: 'id', index: ['title', 'authors', 'abstract'] },
    });
    for (const d of docs)
      flex.add({ id: d.id, title: d.title, authors: d.authors.join(' '), abstract: d.abstract });
    return flex;
  });
  return {
    name: 'FlexSearch',
    buildMs: ms,
    query: (text) => {
      const results = index.search(text, { limit: 20 }) as Array<{ result: unknown[] }>;
      return results.reduce((n, r) => n + r.result.length, 0);
    },
    close: () => undefined,
  };
}

/** Plain FTS5: porter, bm25, all terms with a prefix on the last, no typo tolerance. */
export function plainFtsPeer(docs: CorpusEntry[]): Peer {
  const db = new Database(':memory:');
  db.exec(
    `CREATE VIRTUAL TABLE plain USING fts5(title, authors, abstract, tokenize="porter unicode61 remove_diacritics 2", prefix='2 3');`,
  );
  const { ms } = time(() => {
    const insert = db.prepare('INSERT INTO plain(title, authors, abstract) VALUES (?, ?, ?)');
    db.transaction(() => {
      for (const d of docs) insert.run(d.title, d.authors.join(' '), d.abstract);
    })();
  });
  const search = db.prepare(
    'SELECT rowid FROM plain WHERE plain MATCH ? ORDER BY bm25(plain, 10, 4, 1) LIMIT 10',
  );
  const count = db.prepare('SELECT count(*) FROM plain WHERE plain MATCH ?').pluck();
  return {
    name: 'plain FTS5',
    buildMs: ms,
    query: (text) => {
      const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
      if (words.length === 0) return 0;
      const match = words.map((w, i) => `"${w}"${i === words.length - 1 ? '*' : ''}`).join(' AND ');
      const rows = search.all(match);
      return rows.length > 0 ? (count.get(match) as number) : 0;
    },
    close: () => db.close(),
  };
}
