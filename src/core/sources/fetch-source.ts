import type { Clock } from '../clock.js';
import { isPaperboyError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { PaperRecord, SourceName } from '../paper.js';
import type { AsyncStore } from '../store/async-store.js';
import type { SourceRun } from '../store/store.js';
import type { HttpDeps, Validators } from './http.js';

/** One poll's worth of a feed, not yet stored. */
export interface FetchedBatch {
  source: SourceName;
  /** 304: the feed has not changed since the remembered validators. */
  notModified: boolean;
  records: PaperRecord[];
  /** Parser and fetch warnings, user-readable. */
  warnings: string[];
  /** Papers the feed listed (before dropping, e.g., replacements of unknown papers). */
  listed: number;
  /** Validators to remember once the records are safely stored. */
  validators: { key: string; value: Validators } | null;
}

export interface FetchContext {
  http: HttpDeps;
  store: AsyncStore;
  signal?: AbortSignal;
  logger?: Logger;
}

export type SourceFetcher = (ctx: FetchContext) => Promise<FetchedBatch>;

/** Parsers may throw on text they cannot read; either way the run records why. */
export interface ParsedFeed {
  papers: PaperRecord[];
  warnings: string[];
}

export interface SourcePollResult {
  run: SourceRun;
  added: string[];
  updated: string[];
  notModified: boolean;
  /**
   * The stop signal fired mid-poll: Paperboy is shutting down, not the source failing.
   * `run` is returned for the caller's information only; it is not recorded, so health
   * and `/papers status` never count a shutdown as a source failure.
   */
  abandoned?: true;
}

/**
 * Fetches, stores and records one poll of a source. Never throws for a feed problem:
 * a failure becomes a run with `ok: false` and nothing already stored is touched.
 * A poll cut short by the stop signal records nothing (see `abandoned`).
 */
export async function pollSource(
  name: string,
  fetcher: SourceFetcher,
  ctx: FetchContext & { clock: Clock },
): Promise<SourcePollResult> {
  const startedAt = ctx.clock.now();
  const messages: string[] = [];
  try {
    const batch = await fetcher(ctx);
    messages.push(...batch.warnings);
    const summary =
      batch.records.length > 0
        ? await ctx.store.upsertPapers(batch.records, ctx.clock.now())
        : { added: [], updated: [], unchanged: 0, skippedReplacements: [] };
    // Said as file ingest says it: a dropped item always says why.
    for (const id of summary.skippedReplacements)
      messages.push(`${id}: skipped, a replacement (new version) of a paper not stored`);
    // Only now that the papers are stored may the next request be conditional.
    if (batch.validators)
      await ctx.store.putState(
        batch.validators.key,
        JSON.stringify(batch.validators.value),
        ctx.clock.now(),
      );
    const run: SourceRun = {
      source: name,
      startedAt: startedAt.toISOString(),
      finishedAt: ctx.clock.now().toISOString(),
      ok: true,
      fetched: batch.notModified ? 0 : batch.listed,
      added: summary.added.length,
      messages: batch.notModified ? ['not modified since the last poll', ...messages] : messages,
    };
    await ctx.store.recordSourceRun(run);
    // Items skipped or fields not understood are said where an operator looks, as
    // `npm run ingest` says them: counted, the first few quoted.
    if (messages.length > 0)
      ctx.logger?.warn(
        { source: name, warnings: messages.length, first: messages.slice(0, POLL_WARNINGS_LOGGED) },
        'source poll warnings',
      );
    return { run, added: summary.added, updated: summary.updated, notModified: batch.notModified };
  } catch (error) {
    if (ctx.signal?.aborted) return abandonedPoll(name, startedAt, ctx);
    const message = isPaperboyError(error)
      ? error.message
      : `unexpected error: ${(error as Error)?.message ?? String(error)}`;
    ctx.logger?.warn(
      { source: name, code: isPaperboyError(error) ? error.code : 'INTERNAL', err: error },
      'source poll failed',
    );
    messages.push(message);
    const run = failedRun(name, startedAt, ctx.clock, messages);
    try {
      await ctx.store.recordSourceRun(run);
    } catch (storeError) {
      ctx.logger?.error({ source: name, err: storeError }, 'could not record source run');
    }
    return { run, added: [], updated: [], notModified: false };
  }
}

/** Warnings of one poll quoted in its log line (all are in the stored run). */
const POLL_WARNINGS_LOGGED = 5;

function abandonedPoll(
  name: string,
  startedAt: Date,
  ctx: FetchContext & { clock: Clock },
): SourcePollResult {
  ctx.logger?.info({ source: name }, 'source poll abandoned: Paperboy is stopping');
  const run = failedRun(name, startedAt, ctx.clock, ['abandoned: Paperboy is stopping']);
  return { run, added: [], updated: [], notModified: false, abandoned: true };
}

/** A run that added nothing: the poll failed or was abandoned. */
function failedRun(name: string, startedAt: Date, clock: Clock, messages: string[]): SourceRun {
  return {
    source: name,
    startedAt: startedAt.toISOString(),
    finishedAt: clock.now().toISOString(),
    ok: false,
    fetched: 0,
    added: 0,
    messages,
  };
}
