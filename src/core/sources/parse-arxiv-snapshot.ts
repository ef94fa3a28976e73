import { arxivLinks, cleanText, type PaperRecord, parseArxivId } from '../paper.js';
import { cleanFeedText, cleanTitleAndAbstract } from '../text/clean-text.js';
import { splitCreators } from './arxiv-listing.js';
import { isoDay, rfc822Day, unique } from './parse-result.js';

type Json = Record<string, unknown>;

/** Keys only the arXiv metadata snapshot has (Paperboy's own JSON Lines have none of them). */
const SNAPSHOT_KEYS = ['versions', 'authors_parsed', 'update_date', 'submitter', 'journal-ref'];

/** Whether a JSON Lines row is a line of the arXiv metadata snapshot (Kaggle). */
export function isSnapshotRow(row: Json): boolean {
  return SNAPSHOT_KEYS.some((key) => key in row);
}

/**
 * Every key of a snapshot line as Kaggle documents it; `submitter`, `report-no` and `license`
 * are known and deliberately not kept (they say nothing a reader of the paper needs).
 */
export const SNAPSHOT_FIELDS: ReadonlySet<string> = new Set([
  'id',
  'submitter',
  'authors',
  'title',
  'comments',
  'journal-ref',
  'doi',
  'report-no',
  'categories',
  'license',
  'abstract',
  'versions',
  'update_date',
  'authors_parsed',
]);

export interface LineResult {
  /** The paper, or null when the line was skipped (the reason is in `warnings`). */
  record: PaperRecord | null;
  /** Why the line was skipped, or which of its fields were not understood. */
  warnings: string[];
}

/**
 * One line of the arXiv metadata snapshot (`arxiv-metadata-oai-snapshot.json`): `id`,
 * `authors` (one string), `authors_parsed` ([last, first, suffix] — preferred), `title`,
 * `comments`, `journal-ref`, `doi`, `categories` (space separated), `abstract`,
 * `versions[{version, created}]` (the first is the publication), `update_date`.
 * `fetchedAt` stands for the observation time of a line without `update_date`.
 */
export function parseSnapshotRow(row: Json, label: string, fetchedAt: string): LineResult {
  const warnings: string[] = [];
  const rawTitle = typeof row.title === 'string' ? row.title : '';
  const rawAbstract = typeof row.abstract === 'string' ? row.abstract : '';
  const { title, abstract, original } = cleanTitleAndAbstract(rawTitle, rawAbstract, (w) =>
    warnings.push(`${label}: ${w}`),
  );
  if (!title) return { record: null, warnings: [`${label}: skipped, it has no title`] };
  const id = typeof row.id === 'string' ? parseArxivId(row.id) : null;
  if (!id) {
    return {
      record: null,
      warnings: [
        `${named(label, title)}: skipped, its id ${JSON.stringify(row.id ?? null)} is not an arXiv id`,
      ],
    };
  }
  const { first, latest } = versionsOf(row.versions);
  const publishedAt = rfc822Day(first?.created) ?? isoDay(first?.created);
  if (!publishedAt)
    warnings.push(`${named(label, title)}: no date in versions[0].created, its date is unknown`);
  const updated = isoDay(row.update_date);
  if (row.update_date !== undefined && row.update_date !== null && !updated) {
    warnings.push(
      `${named(label, title)}: update_date ${JSON.stringify(row.update_date)} not understood`,
    );
  }
  const authors = authorsOf(row, label, title, warnings);
  const doi = typeof row.doi === 'string' ? cleanText(row.doi) : '';
  const links = arxivLinks(id.id);
  if (doi) links.doi = `https://doi.org/${doi.split(/\s+/)[0]}`;
  const comments = typeof row.comments === 'string' ? cleanFeedText(row.comments) : '';
  const journalRef =
    typeof row['journal-ref'] === 'string' ? `Journal-ref: ${cleanText(row['journal-ref'])}` : '';
  const record: PaperRecord = {
    arxivId: id.id,
    version: latest ?? id.version,
    title,
    abstract,
    authors,
    authorCount: authors.length > 0 ? authors.length : null,
    publishedAt,
    source: 'arxiv-snapshot',
    links,
    upvotes: null,
    comments: null,
    keywords: [],
    categories:
      typeof row.categories === 'string' ? unique(row.categories.trim().split(/\s+/)) : [],
    comment: comments && journalRef ? `${comments}; ${journalRef}` : comments || journalRef || null,
    // The snapshot's own date for this paper: when its metadata last changed.
    observedAt: updated ? `${updated}T00:00:00.000Z` : fetchedAt,
  };
  if (original) record.original = original;
  return { record, warnings };
}

/**
 * The line named in a warning: its label and title. Built only for a warning (most lines have
 * none), by a plain function: a closure made per line costs a bulk import more than its calls.
 */
function named(label: string, title: string): string {
  return `${label} "${title.length > 60 ? `${title.slice(0, 57)}...` : title}"`;
}

/**
 * The first version (its `created` is the publication) and the highest version number. The
 * snapshot lists versions oldest first; numbered entries are still read by number, so a list
 * in another order neither dates a paper by a revision nor lowers its version.
 */
function versionsOf(value: unknown): { first: Json | undefined; latest: number | null } {
  const versions = Array.isArray(value) ? (value as unknown[]) : [];
  let first = versions[0] as Json | undefined;
  let firstNumber = Number.POSITIVE_INFINITY;
  let latest: number | null = null;
  for (const entry of versions) {
    const version = (entry as Json | null)?.version;
    const match = typeof version === 'string' ? /^v(\d+)$/.exec(version) : null;
    if (!match) continue;
    const number = Number(match[1]);
    if (number < firstNumber) {
      firstNumber = number;
      first = entry as Json;
    }
    if (latest === null || number > latest) latest = number;
  }
  return { first, latest };
}

/** `authors_parsed` ([last, first, suffix]) when usable, else the `authors` string split. */
function authorsOf(row: Json, label: string, title: string, warnings: string[]): string[] {
  const parsed = row.authors_parsed;
  if (Array.isArray(parsed) && parsed.length > 0) {
    const names: string[] = [];
    for (const entry of parsed) {
      if (!isStringList(entry)) {
        names.length = 0;
        break;
      }
      const lastName = entry[0] ?? '';
      const firstName = entry[1] ?? '';
      const suffix = entry[2] ?? '';
      // Joined without a trailing space when there is no suffix (most names); spacing is
      // tidied either way, so the name is the same.
      const name = cleanFeedText(
        suffix ? `${firstName} ${lastName} ${suffix}` : `${firstName} ${lastName}`,
      );
      if (name) names.push(name);
    }
    if (names.length > 0) return names;
    warnings.push(
      `${named(label, title)}: authors_parsed not understood, authors read from the string`,
    );
  }
  return typeof row.authors === 'string' ? splitCreators(row.authors) : [];
}

function isStringList(value: unknown): value is string[] {
  if (!Array.isArray(value)) return false;
  for (const part of value) if (typeof part !== 'string') return false;
  return true;
}
