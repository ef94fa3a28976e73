import type { OriginalText, Paper, PaperLinks, SourceName } from '../paper.js';

/** A `papers` row as better-sqlite3 returns it (JSON columns still text). */
export interface PaperRow {
  rowid: number;
  id: string;
  arxiv_id: string | null;
  version: number | null;
  title: string;
  title_key: string;
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
  change_seq: number;
  /** OriginalText as JSON, or null when cleanup changed nothing. */
  original_text: string | null;
  /** The day a listing feed first listed the paper (set by the writer, never merged). */
  feed_date?: string | null;
}

/** The columns a write sets (rowid, first_seen_at, updated_at, change_seq, feed_date are the writer's). */
export type PaperFields = Omit<
  PaperRow,
  'rowid' | 'first_seen_at' | 'updated_at' | 'change_seq' | 'feed_date'
>;

/**
 * The indexed part of a title key (SQLite migration 7). A lookup by key says
 * `${TITLE_PREFIX} = substr(@key, 1, 16) AND title_key = @key`, so the index is used.
 */
export const TITLE_PREFIX = 'substr(title_key, 1, 16)';

/** PaperFields in statement parameter order. */
export const FIELD_COLUMNS = [
  'id',
  'arxiv_id',
  'version',
  'title',
  'title_key',
  'abstract',
  'authors',
  'author_count',
  'published_at',
  'observed_at',
  'sources',
  'links',
  'keywords',
  'categories',
  'upvotes',
  'comments',
  'comment',
  'sample',
  'original_text',
] as const satisfies readonly (keyof PaperFields)[];

/** Positional parameters (binding by position is markedly cheaper than by name). */
export function fieldValues(fields: PaperFields): unknown[] {
  return [
    fields.id,
    fields.arxiv_id,
    fields.version,
    fields.title,
    fields.title_key,
    fields.abstract,
    fields.authors,
    fields.author_count,
    fields.published_at,
    fields.observed_at,
    fields.sources,
    fields.links,
    fields.keywords,
    fields.categories,
    fields.upvotes,
    fields.comments,
    fields.comment,
    fields.sample,
    fields.original_text,
  ];
}

/** The fields back from their `fieldValues`. */
export function fieldsOfValues(values: readonly unknown[]): PaperFields {
  const fields: Record<string, unknown> = {};
  for (let i = 0; i < FIELD_COLUMNS.length; i++) fields[FIELD_COLUMNS[i] as string] = values[i];
  return fields as unknown as PaperFields;
}

/** The JSON columns of a row read back: lists, links and the text before cleanup. */
export interface JsonColumns {
  authors: string[];
  sources: SourceName[];
  links: PaperLinks;
  keywords: string[];
  categories: string[];
  original?: OriginalText;
}

/** Reads the JSON columns of a stored row, or of the fields a write is about to store. */
export function readJsonColumns(
  columns: Pick<PaperFields, 'authors' | 'sources' | 'links' | 'keywords' | 'categories'> & {
    original_text: string | null;
  },
): JsonColumns {
  const read: JsonColumns = {
    authors: JSON.parse(columns.authors) as string[],
    sources: JSON.parse(columns.sources) as SourceName[],
    links: JSON.parse(columns.links) as PaperLinks,
    keywords: JSON.parse(columns.keywords) as string[],
    categories: JSON.parse(columns.categories) as string[],
  };
  if (columns.original_text) read.original = JSON.parse(columns.original_text) as OriginalText;
  return read;
}

export function rowToPaper(row: PaperRow): Paper {
  const json = readJsonColumns(row);
  return {
    id: row.id,
    arxivId: row.arxiv_id,
    version: row.version,
    title: row.title,
    abstract: row.abstract,
    authors: json.authors,
    authorCount: row.author_count,
    publishedAt: row.published_at,
    firstSeenAt: row.first_seen_at,
    updatedAt: row.updated_at,
    sources: json.sources,
    links: json.links,
    upvotes: row.upvotes,
    comments: row.comments,
    keywords: json.keywords,
    categories: json.categories,
    comment: row.comment,
    observedAt: row.observed_at,
    sample: row.sample === 1,
    feedDate: row.feed_date ?? null,
    ...(json.original ? { original: json.original } : {}),
  };
}
