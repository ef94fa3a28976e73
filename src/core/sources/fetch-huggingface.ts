import type { Config } from '../../config.js';
import type { FetchContext, FetchedBatch, SourceFetcher } from './fetch-source.js';
import {
  type HttpDeps,
  politeGet,
  type RequestPolicy,
  readValidators,
  validatorsKey,
} from './http.js';
import { parseHfDailyPapers } from './parse-hf-daily-papers.js';
import { allWarnings } from './parse-result.js';

export const HUGGINGFACE_SOURCE = 'huggingface';

export function dailyPapersUrl(baseUrl: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/api/daily_papers`;
}

/** Today's Hugging Face Daily Papers list, conditional on the last response's validators. */
export function huggingFaceFetcher(
  config: Pick<Config, 'sources'>,
  policy?: RequestPolicy,
): SourceFetcher {
  const url = dailyPapersUrl(config.sources.huggingface.baseUrl);
  return async (ctx: FetchContext): Promise<FetchedBatch> => {
    const key = validatorsKey(HUGGINGFACE_SOURCE, url);
    const outcome = await politeGet(ctx.http, {
      url,
      sourceLabel: 'Hugging Face Daily Papers',
      accept: 'application/json',
      validators: await readValidators(ctx.store, key),
      ...(policy ? { policy } : {}),
      ...(ctx.signal ? { signal: ctx.signal } : {}),
      onRetry: (info) => ctx.logger?.info({ source: HUGGINGFACE_SOURCE, ...info }, 'retrying'),
    });
    if (outcome.kind === 'not-modified')
      return {
        source: 'huggingface',
        notModified: true,
        records: [],
        warnings: [],
        listed: 0,
        validators: null,
      };
    const parsed = parseHfDailyPapers(outcome.text, {
      fetchedAt: ctx.http.clock.now().toISOString(),
    });
    return {
      source: 'huggingface',
      notModified: false,
      records: parsed.papers,
      warnings: allWarnings(parsed),
      listed: parsed.papers.length,
      validators: { key, value: outcome.validators },
    };
  };
}

export type { HttpDeps };
