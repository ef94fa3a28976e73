import { arxivLinks, cleanText, type PaperRecord, parseArxivId } from '../paper.js';
import { isoDay } from './parse-result.js';

type Json = Record<string, unknown>;

/**
 * Reads one line of the bulk import format (JSON Lines of arXiv metadata:
 * `{ id, title, authors[], abstract, categories[], date, comment }`). Returns a warning naming
 * the line instead of throwing, so one bad line never stops a 47k-line import.
 */
export function parseCorpusLine(
  line: string,
  lineNumber: number,
): PaperRecord | { warning: string } {
  let data: unknown;
  try {
    data = JSON.parse(line);
  } catch {
    return { warning: `line ${lineNumber}: skipped, not valid JSON` };
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) {
    return { warning: `line ${lineNumber}: skipped, not a JSON object` };
  }
  const row = data as Json;
  const title = typeof row.title === 'string' ? cleanText(row.title) : '';
  if (!title) return { warning: `line ${lineNumber}: skipped, it has no title` };
  const id = typeof row.id === 'string' ? parseArxivId(row.id) : null;
  if (!id) {
    return {
      warning: `line ${lineNumber} "${title.slice(0, 80)}": skipped, its id ${JSON.stringify(row.id ?? null)} is not an arXiv id`,
    };
  }
  const authors = stringsOf(row.authors)
    .map(cleanText)
    .filter((name) => name.length > 0);
  const publishedAt = isoDay(row.date);
  const comment = typeof row.comment === 'string' ? cleanText(row.comment) : '';
  return {
    arxivId: id.id,
    version: id.version,
    title,
    abstract: typeof row.abstract === 'string' ? cleanText(row.abstract) : '',
    authors,
    authorCount: authors.length > 0 ? authors.length : null,
    publishedAt,
    source: 'jsonl',
    links: arxivLinks(id.id),
    upvotes: null,
    comments: null,
    keywords: [],
    categories: stringsOf(row.categories).filter((c) => c.length > 0),
    comment: comment || null,
    // The corpus has no fetch time: its own date is the observation's.
    observedAt: publishedAt ? `${publishedAt}T00:00:00.000Z` : new Date(0).toISOString(),
  };
}

function stringsOf(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
