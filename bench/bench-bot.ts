import path from 'node:path';
import { createBot } from '../src/app.js';
import { type Config, loadConfig } from '../src/config.js';
import { manualClock } from '../src/core/clock.js';
import { silentLogger } from '../src/core/logger.js';
import type { PaperRecord } from '../src/core/paper.js';
import { loadBenchRecords } from './corpus.js';

/** The repository's config with no source polled: a bench writes its papers itself. */
export function offlineConfig(): Config {
  const base = loadConfig({ env: {}, rootDir: path.resolve(import.meta.dirname, '..') });
  return {
    ...base,
    sources: {
      huggingface: { ...base.sources.huggingface, enabled: false },
      arxiv: { ...base.sources.arxiv, enabled: false },
    },
  };
}

/** A whole bot in memory holding `papers` bench papers, searchable, clock at the newest. */
export async function benchBot(papers: number) {
  const records: PaperRecord[] = await loadBenchRecords(papers);
  const config = loadConfig({ env: {}, rootDir: process.cwd() });
  const clock = manualClock(records[records.length - 1]?.observedAt ?? '2026-07-01T00:00:00Z');
  const logger = silentLogger();
  const bot = await createBot({ config, clock, logger, dataDir: ':memory:', sampleFile: null });
  for (let i = 0; i < records.length; i += 2000)
    await bot.store.upsertPapers(records.slice(i, i + 2000), clock.now());
  await bot.search.refresh();
  return { records, config, clock, logger, bot };
}
