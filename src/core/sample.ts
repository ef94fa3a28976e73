import { readFileSync } from 'node:fs';
import { parseDailyPapersPage } from './sources/parse-daily-papers-page.js';
import type { AsyncStore } from './store/async-store.js';
import type { UpsertSummary } from './store/store.js';

export interface SampleOptions {
  /** The bundled Daily Papers page, e.g. `samples/daily-papers-page.txt`. */
  file: string;
  /** The day the page was captured (`YYYY-MM-DD`), for its year-less dates. */
  referenceDate: string;
  now: Date;
}

/**
 * Gives a fresh store something to show offline: when it holds no papers, ingests the
 * bundled page with every paper tagged as a demo paper (never posted in a digest).
 * Returns what was stored, or `null` when the store already had papers.
 */
export async function seedSampleIfEmpty(
  store: AsyncStore,
  options: SampleOptions,
): Promise<UpsertSummary | null> {
  if ((await store.countPapers()) > 0) return null;
  const { papers } = parseDailyPapersPage(readFileSync(options.file, 'utf8'), {
    referenceDate: options.referenceDate,
  });
  return await store.upsertPapers(
    papers.map((paper) => ({ ...paper, sample: true })),
    options.now,
  );
}
