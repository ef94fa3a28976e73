// Writing a paper's row: the fields of a record first seen, and a record merged into a stored row.
import { arxivLinks, type PaperLinks, type PaperRecord, titleHashId } from '../paper.js';
import { fieldsOfValues, type PaperFields, type PaperRow } from './paper-row-shapes.js';

const EMPTY_LIST = '[]';

function listJson(list: readonly string[]): string {
  return list.length === 0 ? EMPTY_LIST : JSON.stringify(list);
}

function authorCountOf(record: PaperRecord): number | null {
  const named = record.authors.length;
  if (record.authorCount === null || record.authorCount === undefined)
    return named > 0 ? named : null;
  return Math.max(record.authorCount, named);
}

/** The record's links without empty ones, after the arXiv links of `arxivId` (when known). */
function linksOf(arxivId: string | null, links: PaperLinks): PaperLinks {
  const out: PaperLinks = arxivId ? arxivLinks(arxivId) : {};
  for (const key in links) {
    const value = links[key as keyof PaperLinks];
    if (value) out[key as keyof PaperLinks] = value;
  }
  return out;
}

/**
 * The column values (`fieldValues` order) of a paper first seen in this record, built straight
 * into the array a write binds: a bulk import maps every line through here.
 */
export function recordValues(record: PaperRecord, titleKey: string): unknown[] {
  return [
    record.arxivId ?? titleHashId(record.title),
    record.arxivId,
    record.version ?? null,
    record.title,
    titleKey,
    record.abstract,
    listJson(record.authors),
    authorCountOf(record),
    record.publishedAt ?? null,
    record.observedAt,
    `["${record.source}"]`,
    JSON.stringify(linksOf(record.arxivId, record.links)),
    listJson(record.keywords),
    listJson(record.categories),
    record.upvotes ?? null,
    record.comments ?? null,
    record.comment ?? null,
    record.sample ? 1 : 0,
    record.original ? JSON.stringify(record.original) : null,
  ];
}

/** The fields of a paper first seen in this record. */
export function fieldsOfRecord(record: PaperRecord, titleKey: string): PaperFields {
  return fieldsOfValues(recordValues(record, titleKey));
}

/** Appends the items `extra` adds to the JSON list `json`; the same text when nothing is new. */
function unionJson(json: string, extra: readonly string[]): string {
  if (extra.length === 0) return json;
  const list = JSON.parse(json) as string[];
  let grew = false;
  for (const item of extra) {
    if (!list.includes(item)) {
      list.push(item);
      grew = true;
    }
  }
  return grew ? JSON.stringify(list) : json;
}

function mergeLinks(json: string, arxivId: string | null, incoming: PaperLinks): string {
  const extra = linksOf(arxivId, incoming);
  const keys = Object.keys(extra) as (keyof PaperLinks)[];
  if (keys.length === 0) return json;
  const links = JSON.parse(json) as PaperLinks;
  let grew = false;
  for (const key of keys) {
    if (!links[key]) {
      links[key] = extra[key];
      grew = true;
    }
  }
  return grew ? JSON.stringify(links) : json;
}

function time(iso: string): number {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? 0 : ms;
}

/**
 * Folds one more observation into a stored row. Nothing known is lost: a null never
 * overwrites a value, names beat a bare author count, lists and links are merged.
 * Counts (upvotes, comments) come from the newer observation by `observedAt`; text
 * comes from a newer arXiv version. Returns the merged fields, or `null` when no
 * field would change.
 */
export function mergeRecord(
  row: PaperRow,
  record: PaperRecord,
  titleKey: string,
): PaperFields | null {
  const arxivId = row.arxiv_id ?? record.arxivId;
  const newerVersion =
    record.version !== null &&
    record.version !== undefined &&
    (row.version === null || record.version > row.version);
  const takeText = (stored: string, incoming: string) =>
    incoming && (newerVersion || !stored) ? incoming : stored;

  const title = takeText(row.title, record.title);
  const abstract = takeText(row.abstract, record.abstract);
  // The original goes with the text it belongs to.
  const textFromRecord = title !== row.title || abstract !== row.abstract;
  const storedNames = row.authors !== EMPTY_LIST;
  const takeAuthors = record.authors.length > 0 && (!storedNames || newerVersion);
  const authors = takeAuthors ? listJson(record.authors) : row.authors;
  let authorCount = row.author_count;
  if (takeAuthors) authorCount = authorCountOf(record);
  else if (!storedNames && authorCount === null) authorCount = authorCountOf(record);

  const publishedAt = earlierDay(row.published_at, record.publishedAt ?? null);

  const newer = time(record.observedAt) > time(row.observed_at);
  const upvotes = pickCount(row.upvotes, record.upvotes, newer);
  const comments = pickCount(row.comments, record.comments, newer);
  const countsFromRecord =
    (upvotes !== row.upvotes || comments !== row.comments) &&
    (newer || (row.upvotes === null && row.comments === null));
  const observedAt = countsFromRecord ? record.observedAt : row.observed_at;

  const sources = row.sources.includes(`"${record.source}"`)
    ? row.sources
    : unionJson(row.sources, [record.source]);

  const merged: PaperFields = {
    id: arxivId ?? row.id,
    arxiv_id: arxivId,
    version: newerVersion ? (record.version as number) : row.version,
    title,
    title_key: title === row.title ? row.title_key : titleKey,
    abstract,
    authors,
    author_count: authorCount,
    published_at: publishedAt,
    observed_at: observedAt,
    sources,
    links: mergeLinks(row.links, arxivId, record.links),
    keywords: unionJson(row.keywords, record.keywords),
    categories:
      listJson(record.categories) === row.categories
        ? row.categories
        : unionJson(row.categories, record.categories),
    upvotes,
    comments,
    comment: newerVersion
      ? (record.comment ?? row.comment)
      : (row.comment ?? record.comment ?? null),
    // A paper stays a demo paper only while every observation of it is one.
    sample: row.sample === 1 && record.sample ? 1 : 0,
    original_text: textFromRecord
      ? record.original
        ? JSON.stringify(record.original)
        : null
      : row.original_text,
  };
  return sameFields(row, merged) ? null : merged;
}

/** The earlier of two `YYYY-MM-DD` days (a paper is published once), either may be unknown. */
function earlierDay(a: string | null, b: string | null): string | null {
  if (a === null || b === null) return a ?? b;
  return a < b ? a : b;
}

function pickCount(stored: number | null, incoming: number | null | undefined, newer: boolean) {
  if (incoming === null || incoming === undefined) return stored;
  if (stored === null) return incoming;
  return newer ? incoming : stored;
}

function sameFields(row: PaperRow, fields: PaperFields): boolean {
  for (const key of Object.keys(fields) as (keyof PaperFields)[]) {
    if (row[key] !== fields[key]) return false;
  }
  return true;
}
