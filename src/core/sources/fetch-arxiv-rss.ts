import type { Config } from '../../config.js';
import type { FetchContext, FetchedBatch, SourceFetcher } from './fetch-source.js';
import {
  politeGet,
  type RequestGate,
  type RequestPolicy,
  readValidators,
  validatorsKey,
} from './http.js';
import { parseArxivRss } from './parse-arxiv-rss.js';
import { allWarnings } from './parse-result.js';

export const ARXIV_RSS_SOURCE = 'arxiv-rss';

export function arxivRssUrl(rssBaseUrl: string, categories: readonly string[]): string {
  return `${rssBaseUrl.replace(/\/+$/, '')}/${categories.join('+')}`;
}

/**
 * The day's new submissions for the configured categories, through the arXiv gate
 * (one request at a time, 3 s apart). `replace` items are new versions of old papers:
 * they update a paper already stored and are never stored as new.
 */
export function arxivRssFetcher(
  config: Pick<Config, 'sources'>,
  gate: RequestGate,
  policy?: RequestPolicy,
): SourceFetcher {
  const url = arxivRssUrl(config.sources.arxiv.rssBaseUrl, config.sources.arxiv.categories);
  return async (ctx: FetchContext): Promise<FetchedBatch> => {
    const key = validatorsKey(ARXIV_RSS_SOURCE, url);
    const outcome = await politeGet(ctx.http, {
      url,
      sourceLabel: 'arXiv RSS',
      accept: 'application/rss+xml, application/xml;q=0.9',
      validators: await readValidators(ctx.store, key),
      gate,
      ...(policy ? { policy } : {}),
      ...(ctx.signal ? { signal: ctx.signal } : {}),
      onRetry: (info) => ctx.logger?.info({ source: ARXIV_RSS_SOURCE, ...info }, 'retrying'),
    });
    if (outcome.kind === 'not-modified')
      return {
        source: 'arxiv-rss',
        notModified: true,
        records: [],
        warnings: [],
        listed: 0,
        validators: null,
      };
    const parsed = parseArxivRss(outcome.text, { fetchedAt: ctx.http.clock.now().toISOString() });
    // Replacements go to the store like every record: it decides whether the paper is known
    // (by id, or by title for a paper first seen without one) — the rule file ingest uses.
    const warnings = allWarnings(parsed);
    const records = parsed.papers;
    return {
      source: 'arxiv-rss',
      notModified: false,
      records,
      warnings,
      listed: parsed.papers.length,
      validators: { key, value: outcome.validators },
    };
  };
}
