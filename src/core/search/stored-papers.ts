import type { Database } from 'better-sqlite3';
import type { Paper } from '../paper.js';

/** Raw `papers` row as the agreed schema stores it (see briefs/schema.md). */
export interface PaperRow {
  rowid: number;
  id: string;
  arxiv_id: string | null;
  version: number | null;
  title: string;
  abstract: string;
  authors: string;
  author_count: number | null;
  published_at: string | null;
  first_seen_at: string;
  updated_at: string;
  observed_at: string;
  sources: string;
  links: string;
  keywords: string;
  categories: string;
  upvotes: number | null;
  comments: number | null;
  comment: string | null;
  sample: number;
}

function json<T>(text: string | null, fallback: T): T {
  if (!text) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

export function rowToPaper(row: PaperRow): Paper {
  return {
    id: row.id,
    arxivId: row.arxiv_id,
    version: row.version,
    title: row.title,
    abstract: row.abstract,
    authors: json<string[]>(row.authors, []),
    authorCount: row.author_count,
    publishedAt: row.published_at,
    firstSeenAt: row.first_seen_at,
    updatedAt: row.updated_at,
    sources: json(row.sources, []),
    links: json(row.links, {}),
    upvotes: row.upvotes,
    comments: row.comments,
    keywords: json(row.keywords, []),
    categories: json(row.categories, []),
    comment: row.comment,
    observedAt: row.observed_at,
    sample: row.sample === 1,
  };
}

/** The day a paper counts as from: published, else first seen. */
export function paperDay(p: { publishedAt: string | null; firstSeenAt: string }): string {
  return p.publishedAt ?? p.firstSeenAt.slice(0, 10);
}

/** Reads papers by rowid, keeping the given order and skipping missing rows. */
export function papersByRowid(db: Database, rowids: number[]): Map<number, Paper> {
  const out = new Map<number, Paper>();
  if (rowids.length === 0) return out;
  const rows = db
    .prepare('SELECT rowid, * FROM papers WHERE rowid IN (SELECT value FROM json_each(?))')
    .all(JSON.stringify(rowids)) as PaperRow[];
  for (const row of rows) out.set(row.rowid, rowToPaper(row));
  return out;
}

export function papersWhere(db: Database, where: string, ...params: unknown[]): Paper[] {
  const rows = db
    .prepare(`SELECT rowid, * FROM papers WHERE ${where}`)
    .all(...params) as PaperRow[];
  return rows.map(rowToPaper);
}
