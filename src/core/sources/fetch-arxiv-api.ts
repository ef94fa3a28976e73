import { PaperboyError } from '../errors.js';
import type { PaperRecord } from '../paper.js';
import type { AsyncStore } from '../store/async-store.js';
import type { Store } from '../store/store.js';
import { type HttpDeps, politeGet, type RequestGate, type RequestPolicy } from './http.js';
import { parseArxivAtom } from './parse-arxiv-atom.js';
import { allWarnings } from './parse-result.js';

export const ARXIV_API_SOURCE = 'arxiv-api';
/** arXiv's own cap per call. */
export const ARXIV_API_MAX_RESULTS = 2000;

export function arxivQueryUrl(
  apiBaseUrl: string,
  query: string,
  start: number,
  maxResults: number,
): string {
  const params = new URLSearchParams({
    search_query: query,
    start: String(start),
    max_results: String(Math.min(maxResults, ARXIV_API_MAX_RESULTS)),
    sortBy: 'submittedDate',
    sortOrder: 'descending',
  });
  return `${apiBaseUrl}?${params.toString()}`;
}

export interface BackfillOptions {
  apiBaseUrl: string;
  /** An arXiv search query, e.g. `cat:cs.RO` or `cat:cs.RO AND abs:grasp`. */
  query: string;
  /** `YYYY-MM-DD`: papers published before this day end the backfill. */
  since: string;
  pageSize?: number;
  /** Stop after this many papers in all (a safety net for huge categories). */
  maxPapers?: number;
  gate: RequestGate;
  policy?: RequestPolicy;
  signal?: AbortSignal;
}

export interface BackfillPage {
  start: number;
  records: PaperRecord[];
  warnings: string[];
  totalResults: number | null;
}

/**
 * Pages through the arXiv query API newest first, one polite request at a time,
 * yielding each page's papers published on or after `since`; stops at the first
 * page reaching past `since`, at the end of the results, or at `maxPapers`.
 */
export async function* backfillArxiv(
  http: HttpDeps,
  options: BackfillOptions,
): AsyncGenerator<BackfillPage> {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(options.since))
    throw new PaperboyError(
      'INPUT_INVALID',
      `--since must be a day YYYY-MM-DD, not "${options.since}".`,
    );
  const pageSize = Math.max(1, Math.min(options.pageSize ?? 500, ARXIV_API_MAX_RESULTS));
  const maxPapers = options.maxPapers ?? Number.POSITIVE_INFINITY;
  let start = 0;
  let yielded = 0;
  for (;;) {
    const outcome = await politeGet(http, {
      url: arxivQueryUrl(options.apiBaseUrl, options.query, start, pageSize),
      sourceLabel: 'arXiv API',
      accept: 'application/atom+xml',
      gate: options.gate,
      ...(options.policy ? { policy: options.policy } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    if (outcome.kind !== 'ok') break;
    const parsed = parseArxivAtom(outcome.text, { fetchedAt: http.clock.now().toISOString() });
    const inRange = parsed.papers.filter(
      (record) => record.publishedAt === null || record.publishedAt >= options.since,
    );
    const kept = inRange.slice(0, Math.max(0, maxPapers - yielded));
    yielded += kept.length;
    yield {
      start,
      records: kept,
      warnings: allWarnings(parsed),
      totalResults: parsed.totalResults ?? null,
    };
    const reachedSince = inRange.length < parsed.papers.length;
    const total = parsed.totalResults ?? null;
    start += parsed.papers.length;
    if (
      parsed.papers.length === 0 ||
      reachedSince ||
      yielded >= maxPapers ||
      (total !== null && start >= total)
    )
      break;
  }
}

export interface BackfillSummary {
  pages: number;
  fetched: number;
  added: number;
  updated: number;
  warnings: string[];
}

/**
 * Backfill into the store, page by page (each page committed before the next request), and
 * record the whole run as an `arxiv-api` source run. A failure keeps every page already stored.
 */
export async function backfillIntoStore(
  http: HttpDeps,
  /** The SQLite store or the PostgreSQL one (only the ingest CLI backfills). */
  store:
    | Pick<Store, 'upsertPapers' | 'recordSourceRun'>
    | Pick<AsyncStore, 'upsertPapers' | 'recordSourceRun'>,
  options: BackfillOptions & { onPage?: (summary: BackfillSummary) => void },
): Promise<BackfillSummary> {
  const startedAt = http.clock.now().toISOString();
  const summary: BackfillSummary = { pages: 0, fetched: 0, added: 0, updated: 0, warnings: [] };
  const record = (ok: boolean, error?: string) =>
    store.recordSourceRun({
      source: ARXIV_API_SOURCE,
      startedAt,
      finishedAt: http.clock.now().toISOString(),
      ok,
      fetched: summary.fetched,
      added: summary.added,
      messages: [...summary.warnings.slice(0, 20), ...(error ? [error] : [])],
    });
  try {
    for await (const page of backfillArxiv(http, options)) {
      const result = await store.upsertPapers(page.records, http.clock.now());
      summary.pages++;
      summary.fetched += page.records.length;
      summary.added += result.added.length;
      summary.updated += result.updated.length;
      summary.warnings.push(...page.warnings);
      options.onPage?.(summary);
    }
  } catch (error) {
    // Stopping is not a source failure: the pages already stored stay, health hears nothing.
    if (!options.signal?.aborted) await record(false, (error as Error).message);
    throw error;
  }
  await record(true);
  return summary;
}
