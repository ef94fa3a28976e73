import type { Bot } from '../../../src/app.js';
import type { PaperRecord } from '../../../src/core/paper.js';

export function record(overrides: Partial<PaperRecord> & { title: string }): PaperRecord {
  return {
    arxivId: null,
    version: null,
    abstract: 'A paper stored by the Slack adapter tests.',
    authors: ['Ada Lovelace'],
    authorCount: 1,
    publishedAt: '2025-12-11',
    source: 'huggingface',
    links: {},
    upvotes: 5,
    comments: null,
    keywords: [],
    categories: [],
    comment: null,
    observedAt: '2025-12-12T08:00:00.000Z',
    ...overrides,
  };
}

/** Papers the Slack tests need beyond the bundled sample. */
export const EXTRA_PAPERS: PaperRecord[] = [
  record({
    arxivId: '2501.00001',
    title: 'Learning <Tags> & Things for Slack Escaping',
    links: { arxivAbs: 'https://arxiv.org/abs/2501.00001' },
  }),
  record({
    arxivId: '2501.00002',
    title: 'Attention <!channel> and <@U123> & friends',
    links: { arxivAbs: 'https://arxiv.org/abs/2501.00002' },
  }),
  ...['One', 'Two', 'Three'].map((n, i) =>
    record({ arxivId: `2501.0001${i}`, title: `Zebrafish Locomotion Benchmark ${n}` }),
  ),
];

export async function addExtraPapers(bot: Bot): Promise<void> {
  await bot.store.upsertPapers(EXTRA_PAPERS, bot.clock.now());
  await bot.search.refresh();
}
