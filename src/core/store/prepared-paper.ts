import { isReplacement, normaliseTitle, type PaperRecord, type SourceName } from '../paper.js';
import { FIELD_COLUMNS, fieldsOfValues, readJsonColumns } from './paper-row-shapes.js';
import { recordValues } from './paper-rows.js';

/** Sources that list papers as they appear (a day's listing), as opposed to archives and searches. */
const LISTING_SOURCES: ReadonlySet<SourceName> = new Set(['huggingface', 'arxiv-rss', 'hf-page']);

/**
 * The day a feed listed the paper: the date the listing gives the item (`listedAt`), else
 * the listing's own date (its observation time), for a listing source; `null` for a bulk import or an API search, which say nothing about news.
 * Set when the row is inserted and never moved (the digest's "new means new" rule), except
 * for a row known only from a link lookup, which a feed's first listing makes news.
 */
export function feedDateOf(
  record: Pick<PaperRecord, 'source' | 'observedAt' | 'listedAt'>,
): string | null {
  if (!LISTING_SOURCES.has(record.source) || record.listedAt === null) return null;
  return (record.listedAt ?? record.observedAt).slice(0, 10);
}

/**
 * A record as the store writes it: its column values, mapped once. A bulk ingest builds these
 * on its parsing thread, so the writing thread only binds them (a flat array of strings and
 * numbers also crosses between threads several times cheaper than the record object).
 */
export interface PreparedPaper {
  /** The PaperFields values in FIELD_COLUMNS order (`id` first, `title_key` fifth). */
  values: unknown[];
  /** The record's `feedDateOf`. */
  feedDate: string | null;
  /** A new version of an old paper (`isReplacement`): it only updates a stored row. */
  replacement: boolean;
}

export const ID_AT = FIELD_COLUMNS.indexOf('id');
export const ARXIV_ID_AT = FIELD_COLUMNS.indexOf('arxiv_id');
export const TITLE_KEY_AT = FIELD_COLUMNS.indexOf('title_key');

export function preparePaper(record: PaperRecord): PreparedPaper {
  return {
    values: recordValues(record, normaliseTitle(record.title)),
    feedDate: feedDateOf(record),
    replacement: isReplacement(record),
  };
}

/**
 * The record a prepared paper was made from, as far as merging into a stored row reads it
 * (`mergeRecord`): the columns hold every such field as the record gave it, lists as JSON,
 * links with the arXiv links added (which merging adds again, unchanged). Only papers already
 * stored take this path.
 */
export function recordOfPrepared(paper: PreparedPaper): PaperRecord {
  const fields = fieldsOfValues(paper.values);
  const json = readJsonColumns(fields);
  const record: PaperRecord = {
    arxivId: fields.arxiv_id,
    version: fields.version,
    title: fields.title,
    abstract: fields.abstract,
    authors: json.authors,
    authorCount: fields.author_count,
    publishedAt: fields.published_at,
    source: json.sources[0] as SourceName,
    links: json.links,
    upvotes: fields.upvotes,
    comments: fields.comments,
    keywords: json.keywords,
    categories: json.categories,
    comment: fields.comment,
    observedAt: fields.observed_at,
    sample: fields.sample === 1,
  };
  if (json.original) record.original = json.original;
  return record;
}
