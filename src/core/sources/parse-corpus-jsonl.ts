import { arxivLinks, type PaperRecord, parseArxivId } from '../paper.js';
import { cleanFeedText, cleanTitleAndAbstract } from '../text/clean-text.js';
import { splitCreators } from './arxiv-listing.js';
import {
  isSnapshotRow,
  type LineResult,
  parseSnapshotRow,
  SNAPSHOT_FIELDS,
} from './parse-arxiv-snapshot.js';
import { isoDay, rfc822Day } from './parse-result.js';

type Json = Record<string, unknown>;

/** Which JSON Lines a line belongs to: Paperboy's own, or the arXiv metadata snapshot. */
export type JsonLineKind = 'jsonl' | 'arxiv-snapshot';

/**
 * Reads one line of JSON Lines, telling the two formats apart by the line's own keys (a file
 * may mix them). Never throws: a bad line is skipped with a warning naming it, so one bad
 * line never stops a 2.7-million-line import.
 */
export function parseJsonLine(
  line: string,
  lineNumber: number,
  fetchedAt: string,
): LineResult & { kind: JsonLineKind | null; unknownKeys?: string[] } {
  try {
    return readJsonLine(line, lineNumber, fetchedAt);
  } catch (error) {
    // A bug or a limit hit by one line's content is that line's warning, never the import's end.
    const why = error instanceof Error ? error.message : String(error);
    return {
      kind: 'jsonl',
      record: null,
      warnings: [`line ${lineNumber}: skipped, it could not be read (${why})`],
    };
  }
}

function readJsonLine(
  line: string,
  lineNumber: number,
  fetchedAt: string,
): LineResult & { kind: JsonLineKind | null; unknownKeys?: string[] } {
  const row = jsonObject(line);
  if (typeof row === 'string') {
    return { kind: null, record: null, warnings: [`line ${lineNumber}: skipped, ${row}`] };
  }
  if (isSnapshotRow(row)) {
    const result = parseSnapshotRow(row, `line ${lineNumber}`, fetchedAt);
    return withUnknown({ kind: 'arxiv-snapshot', ...result }, row, SNAPSHOT_FIELDS);
  }
  const warnings: string[] = [];
  const parsed = parseCorpusRow(row, lineNumber, warnings);
  return withUnknown(
    'warning' in parsed
      ? { kind: 'jsonl', record: null, warnings: [parsed.warning] }
      : { kind: 'jsonl', record: parsed, warnings },
    row,
    CORPUS_FIELDS,
  );
}

/** The keys of Paperboy's own JSON Lines. */
const CORPUS_FIELDS: ReadonlySet<string> = new Set([
  'id',
  'title',
  'authors',
  'abstract',
  'categories',
  'date',
  'comment',
]);

/** Keys a line may have that no parser reads are counted by the caller, once per file. */
function withUnknown<T extends object>(
  result: T,
  row: Json,
  known: ReadonlySet<string>,
): T & { unknownKeys?: string[] } {
  const unknown: string[] = [];
  for (const key in row) if (!known.has(key)) unknown.push(key);
  return unknown.length > 0 ? { ...result, unknownKeys: unknown } : result;
}

/** The JSON object on a line, or why it is not one. */
function jsonObject(line: string): Json | string {
  let data: unknown;
  try {
    data = JSON.parse(line);
  } catch {
    return 'not valid JSON';
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) return 'not a JSON object';
  return data as Json;
}

/**
 * Reads one line of Paperboy's bulk import format (JSON Lines of arXiv metadata:
 * `{ id, title, authors[], abstract, categories[], date, comment }`). Returns a warning naming
 * the line instead of throwing.
 */
export function parseCorpusLine(
  line: string,
  lineNumber: number,
): PaperRecord | { warning: string } {
  const row = jsonObject(line);
  if (typeof row === 'string') return { warning: `line ${lineNumber}: skipped, ${row}` };
  return parseCorpusRow(row, lineNumber);
}

function parseCorpusRow(
  row: Json,
  lineNumber: number,
  warnings: string[] = [],
): PaperRecord | { warning: string } {
  const { title, abstract, original } = cleanTitleAndAbstract(
    typeof row.title === 'string' ? row.title : '',
    typeof row.abstract === 'string' ? row.abstract : '',
    (w) => warnings.push(`line ${lineNumber}: ${w}`),
  );
  if (!title) return { warning: `line ${lineNumber}: skipped, it has no title` };
  const id = typeof row.id === 'string' ? parseArxivId(row.id) : null;
  if (!id) {
    return {
      warning: `line ${lineNumber} "${title.slice(0, 80)}": skipped, its id ${JSON.stringify(row.id ?? null)} is not an arXiv id`,
    };
  }
  // A field of another shape than Paperboy writes is read when its meaning is plain (authors
  // as one string, as the arXiv snapshot writes them; categories space separated; an RFC 822
  // date), and otherwise named in a warning: never dropped without a word.
  const notUnderstood = (key: string, value: unknown, what: string) =>
    warnings.push(
      `line ${lineNumber}: ${key} ${JSON.stringify(value).slice(0, 80)} not understood, ${what}`,
    );
  const authors = listOf(row.authors, splitCreators, () =>
    notUnderstood('authors', row.authors, 'what is not a name is left out'),
  )
    .map((name) => cleanFeedText(name))
    .filter((name) => name.length > 0);
  const categories = listOf(
    row.categories,
    (text) => text.split(/[\s,]+/),
    () => notUnderstood('categories', row.categories, 'what is not a category is left out'),
  ).filter((c) => c.length > 0);
  const publishedAt = isoDay(row.date) ?? rfc822Day(row.date);
  if (row.date !== undefined && row.date !== null && !publishedAt)
    notUnderstood('date', row.date, 'its date is unknown');
  if (row.comment !== undefined && row.comment !== null && typeof row.comment !== 'string')
    notUnderstood('comment', row.comment, 'ignored');
  const comment = typeof row.comment === 'string' ? cleanFeedText(row.comment) : '';
  const record: PaperRecord = {
    arxivId: id.id,
    version: id.version,
    title,
    abstract,
    authors,
    authorCount: authors.length > 0 ? authors.length : null,
    publishedAt,
    source: 'jsonl',
    links: arxivLinks(id.id),
    upvotes: null,
    comments: null,
    keywords: [],
    categories,
    comment: comment || null,
    // The corpus has no fetch time: its own date is the observation's; an undated line's
    // observation is the oldest there is, so any dated one wins (it never dates the paper).
    observedAt: publishedAt ? `${publishedAt}T00:00:00.000Z` : new Date(0).toISOString(),
  };
  if (original) record.original = original;
  return record;
}

/**
 * A list field: an array of strings, or one string split; `bad` is called when the value is
 * neither (or holds non-strings, which are left out).
 */
function listOf(value: unknown, split: (text: string) => string[], bad: () => void): string[] {
  if (value === undefined || value === null) return [];
  if (typeof value === 'string') return split(value);
  if (Array.isArray(value)) {
    const strings = value.filter((v): v is string => typeof v === 'string');
    if (strings.length < value.length) bad();
    return strings;
  }
  bad();
  return [];
}
